"""Scan and confirm-prize: DynamoDB requests per call (counted by a botocore hook) and warm handler time."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

from bench.figures import Figure

ROOT = Path(__file__).resolve().parents[1]
BUSINESS = "biz_benchcoffee01"
SCANS = 300


def _event(path: str, route_key: str, params: dict[str, str], key: str | None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if key:
        headers["idempotency-key"] = key
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "pathParameters": params,
        "isBase64Encoded": False,
        "requestContext": {
            "http": {
                "method": "POST",
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "bench",
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "authorizer": {
                "jwt": {
                    "claims": {"sub": "bench", "cognito:groups": "[manager]", "custom:businessId": BUSINESS},
                    "scopes": None,
                }
            },
        },
    }


def run() -> list[Figure]:
    from loyalty_local.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

    local = start_dynamodb_local()
    try:
        os.environ.update(
            {
                "TABLE_NAME": "bench-passes",
                "AWS_ENDPOINT_URL_DYNAMODB": local.endpoint,
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": "WARNING",
            }
        )
        create_table(dynamodb_client(local.endpoint), "bench-passes")
        return _measure()
    finally:
        local.stop()


def _measure() -> list[Figure]:
    from loyalty.adapters.aws_clients import client
    from loyalty.adapters.dynamodb.offers import OfferStore
    from loyalty.adapters.dynamodb.passes import default_pass_store
    from loyalty.app import enrollment, offers
    from loyalty.domain.clock import utc_now
    from loyalty_local.lambda_runtime import FunctionPool
    from loyalty_local.template import FunctionDef, functions

    ddb = client("dynamodb")
    calls: Counter[str] = Counter()
    ddb.meta.events.register("before-call.dynamodb", lambda model, **_: calls.update([model.name]))

    offer = offers.create_offer(
        OfferStore(ddb, "bench-passes"),
        BUSINESS,
        {"name": "Bench Card", "stampsRequired": 5},
        clock=utc_now,
    )
    card = enrollment.enroll(
        default_pass_store(),
        utc_now,
        offer.offer_id,
        enrollment.EnrollmentRequest(email="bench@example.com", name="Bench"),
    ).body
    customer = card["customerId"]
    defs = functions()
    scan = FunctionPool(defs["ScanFunction"])
    confirm = FunctionPool(defs["ConfirmPrizeFunction"])
    scan_path = f"/api/branch-manager/scan/{customer}/{offer.offer_id}"
    confirm_path = f"/api/branch-manager/confirm-prize/{customer}/{offer.offer_id}"
    params = {"customerId": customer, "offerId": offer.offer_id}

    def one_scan(key: str | None) -> float:
        started = time.perf_counter()
        answer = scan.invoke(
            _event(scan_path, "POST /api/branch-manager/scan/{customerId}/{offerId}", params, key)
        )
        elapsed = time.perf_counter() - started
        assert answer["statusCode"] == 200, answer
        return elapsed

    def one_confirm(key: str | None) -> None:
        answer = confirm.invoke(
            _event(confirm_path, "POST /api/branch-manager/confirm-prize/{customerId}/{offerId}", params, key)
        )
        assert answer["statusCode"] == 200, answer

    def counted(action: Any) -> int:
        calls.clear()
        action()
        return sum(calls.values())

    one_scan(None)  # warm the container (and the first stamp)
    stamps = 1
    scan_times: list[float] = []
    requests_keyed: list[int] = []
    requests_plain: list[int] = []
    confirm_requests: list[int] = []
    for i in range(SCANS):
        if stamps == 5:  # the card is full: the prize is handed over
            confirm_requests.append(counted(lambda: one_confirm(uuid.uuid4().hex)))
            stamps = 0
        keyed = i % 2 == 0
        calls.clear()
        scan_times.append(one_scan(uuid.uuid4().hex if keyed else None))
        (requests_keyed if keyed else requests_plain).append(sum(calls.values()))
        stamps += 1

    bare_def = FunctionDef("Bare", ROOT / "bench/baselines", "bare_update_handler.handler", 10, {})
    bare = FunctionPool(bare_def)
    bare_event = _event("/bump/x", "POST /bump/{key}", {"key": "x"}, None)
    bare.invoke(bare_event)
    bare_times = []
    for _ in range(SCANS):
        started = time.perf_counter()
        bare.invoke(bare_event)
        bare_times.append(time.perf_counter() - started)
    scan_ms, bare_ms = statistics.median(scan_times) * 1000, statistics.median(bare_times) * 1000
    return [
        Figure(
            "DynamoDB requests per scan (with Idempotency-Key)",
            statistics.mean(requests_keyed),
            "requests",
            "floor 1, aim <= 2",
        ),
        Figure("DynamoDB requests per scan (no key)", statistics.mean(requests_plain), "requests"),
        Figure(
            "DynamoDB requests per confirm-prize (with key)", statistics.mean(confirm_requests), "requests"
        ),
        Figure("warm scan handler, median", scan_ms, "ms", f"{SCANS} scans on DynamoDB Local"),
        Figure("bare Powertools handler with one UpdateItem, median", bare_ms, "ms"),
        Figure("scan / bare ratio", scan_ms / bare_ms, "x"),
    ]
