"""Cold start of each handler: its import, then its first request, against a bare Powertools handler that also
loads boto3's DynamoDB client and makes its first request (fresh interpreters, runs interleaved, medians).

What one sample of an HTTP handler counts: the import of `functions/<name>/app.py`, then one request through its
`handler` as API Gateway (payload v2, JWT authorizer) hands it: the handler's first route (one with a path
parameter if it has any), valid-looking ids in the path, the claims of a business's owner, and `{}` as the body of a
POST, PUT or PATCH. Whatever the route then does is counted: a body model is built and refuses `{}` (422), a read
reaches DynamoDB, which is a closed local port (no retries: one refused connection, no network, CPU only), and the
error is answered and logged. Then `bootstrap.settings()` and the DynamoDB client, if the request had not built them.
So a handler that defers a model, a module or a client to its first request is not counted cheaper than one that
builds it at import. The baselines make their own first request the same way (an UpdateItem, a validated GetItem),
so both sides pay botocore's first call. A handler of no HTTP route (stream, queue, schedule, workflow task) counts
its import, the settings and the DynamoDB client, as before.

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
# One sample: the import, then (for "http" and "bare") one first request, then (for "http" and "other") the settings
# and the DynamoDB client. The request is made inside the process; its answer is not checked (a 422, 401 or 500 is
# what it should be), only that the handler answered or, for a bare handler with no error handler, raised.
_PROBE = r"""
import importlib.util, re, sys, time
from pathlib import Path
path, kind = sys.argv[1], sys.argv[2]
sys.path.insert(0, str(Path(path).parent))
started = time.process_time()
spec = importlib.util.spec_from_file_location("handler_under_test", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if kind in ("http", "bare"):
    if "loyalty.adapters.aws_clients" in sys.modules or kind == "http":
        from botocore.config import Config
        from loyalty.adapters import aws_clients
        # a refused connection is answered at once; the deployed client's retries would only add sleeps
        aws_clients._CONFIG = aws_clients._CONFIG.merge(Config(retries={"mode": "standard", "max_attempts": 1}))
    routes = module.app._dynamic_routes + module.app._static_routes
    route = routes[0]
    ids = {"offer": "off", "customer": "cus", "issuance": "iss", "export": "exp", "campaign": "cmp",
           "branch": "brn", "business": "biz", "image": "img"}
    def value(name):
        prefix = next((p for word, p in ids.items() if word in name.lower()), None)
        return f"{prefix}_benchbench0000000000000001" if prefix else "bench0000000000000001"
    raw_path = re.sub(r"<(.*?)>", lambda m: value(m.group(1)), route.path)
    claims = {"sub": "bench-owner", "email": "owner@example.com", "cognito:groups": "[owner]",
              "custom:businessId": "biz_benchbench0000000000000001"}
    event = {
        "version": "2.0", "routeKey": f"{route.method} {route.openapi_path}", "rawPath": raw_path,
        "rawQueryString": "", "cookies": [],
        "headers": {"content-type": "application/json", "host": "api.example.com", "user-agent": "bench"},
        "queryStringParameters": None, "pathParameters": None, "isBase64Encoded": False,
        "body": "{}" if route.method in ("POST", "PUT", "PATCH") else None,
        "requestContext": {
            "accountId": "000000000000", "apiId": "bench", "domainName": "api.example.com",
            "domainPrefix": "api", "requestId": "bench-request", "routeKey": f"{route.method} {route.openapi_path}",
            "stage": "$default", "time": "08/Dec/2026:00:00:00 +0000", "timeEpoch": 1796688000000,
            "http": {"method": route.method, "path": raw_path, "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1",
                     "userAgent": "bench"},
            "authorizer": {"jwt": {"claims": claims, "scopes": None}},
        },
    }
    class Context:
        function_name = "bench"; function_version = "$LATEST"; memory_limit_in_mb = 512
        invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:bench"
        aws_request_id = "bench-request"; log_group_name = "bench"; log_stream_name = "bench"
        def get_remaining_time_in_millis(self): return 10000
    try:
        module.handler(event, Context())
    except Exception:
        if kind != "bare":
            raise
if kind in ("http", "other"):
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
        # The first requests' DynamoDB: a closed local port, one attempt, made-up keys (no credential lookup).
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "POWERTOOLS_METRICS_NAMESPACE": "bench",
        "POWERTOOLS_SERVICE_NAME": "bench",
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
    targets.update(
        {
            app.parent.name: (app, "http" if is_http(app) else "other")
            for app in sorted(ROOT.glob("functions/*/app.py"))
        }
    )
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
