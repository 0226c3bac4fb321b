"""The local Lambda runtime: what strictness costs (an execution environment is a process of its own)."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from typing import Any

from bench.figures import Figure
from loyalty_local.cloud.lambda_runtime import IsolatedLambda
from loyalty_local.cloud.template import FunctionDef, functions, parameter_defaults

COLD_STARTS = 8
WARM_CALLS = 200
FUNCTION = "HealthFunction"


def _environment(definition: FunctionDef) -> dict[str, str]:
    """The function's declared variables: parameters at their defaults, a placeholder for every other reference
    (nothing here reaches AWS)."""
    defaults = parameter_defaults()
    resolved: dict[str, str] = {}
    for name, value in definition.environment.items():
        default = defaults.get(value.get("Ref", "")) if isinstance(value, dict) else value
        resolved[name] = str(default) if isinstance(default, str | int) else "bench"
    return resolved


def _health_event() -> dict[str, Any]:
    return {
        "version": "2.0",
        "routeKey": "GET /api/health",
        "rawPath": "/api/health",
        "rawQueryString": "",
        "headers": {},
        "requestContext": {
            "http": {"method": "GET", "path": "/api/health", "sourceIp": "127.0.0.1", "protocol": "HTTP/1.1"},
            "requestId": "bench",
            "routeKey": "GET /api/health",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


def _median_ms(call: Any, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def run() -> list[Figure]:
    health = functions()[FUNCTION]
    # Copies of one function under other names: each is a cold start of its own.
    copies = {f"{FUNCTION}{n}": replace(health, logical_id=f"{FUNCTION}{n}") for n in range(COLD_STARTS + 1)}
    runtime = IsolatedLambda(_environment, copies, pool_size=1)
    event = _health_event()
    try:
        started = time.perf_counter()
        runtime.warm(f"{FUNCTION}0")  # waits for the fork server's imports too
        first = (time.perf_counter() - started) * 1000
        names = iter(list(copies)[1:])
        cold = _median_ms(lambda: runtime.warm(next(names)), COLD_STARTS)
        assert runtime.invoke(f"{FUNCTION}0", event)["statusCode"] == 200
        warm = _median_ms(lambda: runtime.invoke(f"{FUNCTION}0", event), WARM_CALLS)
    finally:
        runtime.stop()
    return [
        Figure("first cold start (fork server's library imports included)", first, "ms"),
        Figure("cold start of a function (fork + our imports), median", cold, "ms", f"of {COLD_STARTS}"),
        Figure("warm health invoke in its own process, median", warm, "ms", f"of {WARM_CALLS}, round trip"),
    ]
