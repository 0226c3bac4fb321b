"""Cold start of each handler: its import and the DynamoDB client its first request builds, against a bare
Powertools handler that also loads boto3's DynamoDB client (fresh interpreters, runs interleaved, medians).

Measured in CPU time of the process (`time.process_time`), not wall time: on a machine shared with other work the
wall time of one import swings by a factor of two, its CPU time by a few per cent, and a cold import is CPU bound
(compiled bytecode read from a warm page cache).

The bytecode is the bench's own: whatever the shell says (`PYTHONDONTWRITEBYTECODE`), each target is run once
unmeasured with a cache directory outside the tree, so no sample pays for compiling source (what pip leaves in a
layer) and the figures do not depend on who ran them."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.figures import Figure

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
# Every HTTP handler's aim: within this factor of the honest baseline.
HTTP_AIM = 1.3
# A handler: its import, then what its first request builds whatever the route (the settings tree and the
# DynamoDB client), so that a handler deferring them is not counted cheaper than one that builds them at import.
_PROBE = """
import importlib.util, sys, time
path = sys.argv[1]
sys.path.insert(0, str(__import__('pathlib').Path(path).parent))
started = time.process_time()
spec = importlib.util.spec_from_file_location("handler_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if sys.argv[2] == "handler":
    from loyalty import bootstrap
    bootstrap.settings()
    bootstrap.aws_client("dynamodb")
print(time.process_time() - started)
"""
BARE = ROOT / "bench/baselines/bare_powertools_handler.py"
# The honest baseline: the bare handler with boto3's DynamoDB client built at import, as every handler needs it.
BARE_WITH_DYNAMODB = ROOT / "bench/baselines/bare_update_handler.py"
# The floor of a typed route: the same with Powertools' request validation on (pydantic and its OpenAPI models).
BARE_VALIDATED = ROOT / "bench/baselines/bare_validated_handler.py"


def _environment(bytecode: str) -> dict[str, str]:
    inherited = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {
        **inherited,
        "PYTHONPYCACHEPREFIX": bytecode,
        "TABLE_NAME": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        # What the template hands the ledger function; nothing is called at import.
        "CREDENTIAL_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
    }


def cold_start_seconds(path: Path, kind: str, env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), kind], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def is_http(app: Path) -> bool:
    """A handler behind the HTTP API (a Powertools resolver), not a stream, queue, schedule or workflow task."""
    return "new_api(" in app.read_text(encoding="utf-8")


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds of each target, the runs interleaved so that a busy moment of the machine falls on all."""
    with tempfile.TemporaryDirectory(prefix="bench-bytecode-") as bytecode:
        return _medians(_environment(bytecode), runs)


def _medians(env: dict[str, str], runs: int) -> dict[str, float]:
    targets = {
        "bare": (BARE, "bare"),
        "bare+dynamodb": (BARE_WITH_DYNAMODB, "bare"),
        "validated": (BARE_VALIDATED, "bare"),
    }
    targets.update({app.parent.name: (app, "handler") for app in sorted(ROOT.glob("functions/*/app.py"))})
    for path, kind in targets.values():  # unmeasured: writes the bytecode every sample then reads
        cold_start_seconds(path, kind, env)
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, (path, kind) in targets.items():
            samples[name].append(cold_start_seconds(path, kind, env))
    return {name: statistics.median(values) for name, values in samples.items()}


def run() -> list[Figure]:
    medians = measure()
    bare, honest, validated = medians.pop("bare"), medians.pop("bare+dynamodb"), medians.pop("validated")
    figures = [
        Figure("bare Powertools handler (CPU)", bare * 1000, "ms", f"median of {RUNS}"),
        Figure("bare Powertools handler + boto3 DynamoDB client", honest * 1000, "ms", "the baseline"),
        Figure(
            "the same with request validation (a typed route's floor)",
            validated * 1000,
            "ms",
            f"x{validated / honest:.2f} of baseline",
        ),
    ]
    for name, seconds in medians.items():
        app = ROOT / "functions" / name / "app.py"
        ratio = seconds / honest
        if is_http(app):
            verdict = "ok" if ratio <= HTTP_AIM else "OVER"
            note = f"x{ratio:.2f} of baseline, aim <= x{HTTP_AIM} ({verdict})"
        else:
            note = f"x{ratio:.2f} of baseline (not HTTP: no aim)"
        figures.append(Figure(name, seconds * 1000, "ms", note))
    return figures
