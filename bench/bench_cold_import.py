"""Cold import of each handler module, as a ratio to a bare Powertools handler (fresh interpreter, median of runs)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.figures import Figure

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
_PROBE = """
import importlib.util, sys, time
path = sys.argv[1]
sys.path.insert(0, str(__import__('pathlib').Path(path).parent))
started = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(time.perf_counter() - started)
"""


def cold_import_seconds(path: Path) -> float:
    env = {
        **os.environ,
        "TABLE_NAME": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
        # What the template hands the dispatch function; nothing is called at import.
        "CREDENTIAL_STATE_MACHINE_ARN": "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
    }
    samples = []
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, check=True, env=env
        )
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(samples)


def run() -> list[Figure]:
    baseline = cold_import_seconds(ROOT / "bench/baselines/bare_powertools_handler.py")
    figures = [Figure("bare Powertools handler", baseline * 1000, "ms", f"median of {RUNS}")]
    for app in sorted(ROOT.glob("functions/*/app.py")):
        seconds = cold_import_seconds(app)
        figures.append(
            Figure(f"{app.parent.name}", seconds * 1000, "ms", f"x{seconds / baseline:.2f} of bare")
        )
    return figures
