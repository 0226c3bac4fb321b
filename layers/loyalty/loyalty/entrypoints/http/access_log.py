"""One compact line per request at INFO: which function, which route, the status and the time it took, with the
gateway's request id (every other line of the request carries it as `correlation_id`). No path values, query,
headers or body: a route key names no customer, and nothing here can leak a token or an email.

It replaces the Lambda platform's START and REPORT lines, which the template turns off (`SystemLogLevel: WARN`,
docs/decisions/0021i-the-bill-of-a-scan-its-logs-and-its-fetches.md): about 200 bytes a request instead of about
600, and CloudWatch Logs bills the bytes it takes in. Lambda's JSON log format reads `level` and `timestamp` from
the line (Lambda developer guide, "Log-level filtering"), so the function's log level filters it like any other."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO


def access_line(
    event: dict[str, Any], status: int, elapsed_ms: float, function_name: str, at: datetime
) -> str:
    """The line, as written (ends with a newline)."""
    context = event.get("requestContext") or {}
    record = {
        "level": "INFO",
        "timestamp": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "message": "request",
        "function": function_name,
        "route": str(event.get("routeKey") or "")[:120],
        "status": status,
        "ms": round(elapsed_ms, 1),
        "requestId": str(context.get("requestId") or "")[:64],
    }
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False) + "\n"


def write_access_line(
    level: int,
    event: dict[str, Any],
    answer: dict[str, Any],
    elapsed_ms: float,
    function_name: str,
    out: TextIO | None = None,
) -> None:
    """Written when the function's log level lets INFO through."""
    if level > logging.INFO:
        return
    status = answer.get("statusCode")
    line = access_line(
        event, status if isinstance(status, int) else 0, elapsed_ms, function_name, datetime.now(UTC)
    )
    stream = out or sys.stdout
    stream.write(line)
    stream.flush()
