"""One compact line a request (entrypoints/http/access_log.py): what a reader of the logs needs to find a request,
and nothing of what the request carried."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime

import pytest

from loyalty.entrypoints.http.access_log import access_line, write_access_line
from tests.support.handlers import call, load_handler

pytestmark = pytest.mark.usefixtures("handler_environment")


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{") and '"request"' in line]


def test_each_request_through_a_handler_writes_one_line_with_its_route_status_and_time(
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = load_handler("health")
    capsys.readouterr()
    answer = call(handler, "GET", "/api/health", caller=None)
    written = _lines(capsys.readouterr().out)
    assert len(written) == 1
    line = written[0]
    assert (line["level"], line["message"], line["route"], line["status"]) == (
        "INFO",
        "request",
        "GET /api/health",
        answer.status,
    )
    assert line["function"] == "UnitFunction"
    assert str(line["requestId"]).startswith("req-")
    assert isinstance(line["ms"], float | int)


def test_the_line_names_the_route_not_the_values_nor_anything_sent() -> None:
    event = {
        "routeKey": "POST /api/branch-manager/scan/{customerId}/{offerId}",
        "rawPath": "/api/branch-manager/scan/cus_secretcustomer/off_x",
        "rawQueryString": "email=jane@example.com",
        "headers": {"authorization": "Bearer eyJhbGciOi.secret"},
        "body": '{"email": "jane@example.com"}',
        "requestContext": {"requestId": "abc="},
    }
    line = access_line(event, 200, 12.34, "ScanFunction", datetime(2027, 1, 4, 8, 0, tzinfo=UTC))
    assert line.endswith("\n")
    assert line.count("\n") == 1
    for secret in ("cus_secretcustomer", "jane@", "eyJhbGciOi", "secret"):
        assert secret not in line
    assert json.loads(line)["timestamp"] == "2027-01-04T08:00:00.000Z"
    assert len(line.encode()) < 300


def test_above_info_nothing_is_written() -> None:
    out = io.StringIO()
    event = {"routeKey": "GET /api/health", "requestContext": {"requestId": "r"}}
    write_access_line(logging.WARNING, event, {"statusCode": 200}, 1.0, "F", out)
    assert out.getvalue() == ""
    write_access_line(logging.INFO, event, {"statusCode": 200}, 1.0, "F", out)
    assert json.loads(out.getvalue())["status"] == 200
