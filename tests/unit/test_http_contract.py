"""The typed contract at the edge: malformed ids stay the route's 404, a bad Idempotency-Key is the contract's 422,
a JSON `null` body is a 422 and an absent one a 400, and domain rules keep reporting tier problems in request order."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

import pytest
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.domain.ids import ID_MAX_LENGTH, id_pattern, is_id
from loyalty.entrypoints.http.api import new_api
from loyalty.entrypoints.http.contract import (
    IdempotencyKey,
    OfferId,
    PassCustomerId,
    PassOfferId,
    TierConfigDraft,
)

app = new_api()
seen: dict[str, Any] = {}


@app.post("/passes/<customerId>/<offerId>")
def pass_route(
    customerId: PassCustomerId, offerId: PassOfferId, key: IdempotencyKey = None
) -> dict[str, Any]:
    seen.update(customerId=customerId, offerId=offerId, key=key)
    return {"ok": True}


@app.put("/offers/<offerId>/tiers")
def tiers_route(offerId: OfferId, config: Annotated[TierConfigDraft, Body()]) -> dict[str, Any]:
    return config.model_dump()


def call(method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None) -> Any:
    event = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {"http": {"method": method, "path": path}, "stage": "$default"},
        "body": body,
        "isBase64Encoded": False,
    }
    answer = app.resolve(event, None)  # type: ignore[arg-type]
    return answer["statusCode"], json.loads(answer["body"])


CUSTOMER = "cus_" + "a" * 26
OFFER = "off_" + "b" * 26


@pytest.mark.parametrize(
    ("customer", "offer"),
    [
        ("x" * 2000, OFFER),
        (CUSTOMER, "off_" + "b" * 2000),
        ("cus_UPPER12345", OFFER),
        (OFFER, OFFER),
    ],
)
def test_an_id_that_cannot_be_one_is_the_routes_404(customer: str, offer: str) -> None:
    status, body = call("POST", f"/passes/{customer}/{offer}")
    assert (status, body["error"]["code"]) == (404, "PASS_NOT_FOUND")
    status, body = call("PUT", f"/offers/{offer}X/tiers", body="{}")
    assert (status, body["error"]["code"]) == (404, "OFFER_NOT_FOUND")


def test_an_id_is_the_whole_value_and_its_documented_shape() -> None:
    assert is_id(CUSTOMER, "cus")
    assert not is_id(CUSTOMER + "\n", "cus")  # `$` alone would let a trailing newline through
    assert re.fullmatch(id_pattern("cus"), CUSTOMER)
    assert len(CUSTOMER) <= ID_MAX_LENGTH


def test_well_formed_ids_and_the_trimmed_key_reach_the_handler() -> None:
    status, _ = call("POST", f"/passes/{CUSTOMER}/{OFFER}", headers={"idempotency-key": "  k-1  "})
    assert status == 200
    assert seen == {"customerId": CUSTOMER, "offerId": OFFER, "key": "k-1"}


@pytest.mark.parametrize("key", ["x" * 129, "   ", "a\u0007b"])
def test_a_bad_idempotency_key_is_the_contracts_422(key: str) -> None:
    status, body = call("POST", f"/passes/{CUSTOMER}/{OFFER}", headers={"idempotency-key": key})
    assert status == 422
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in body["error"]["details"]] == ["Idempotency-Key"]


def test_a_null_body_is_422_and_no_body_is_400() -> None:
    status, body = call("PUT", f"/offers/{OFFER}/tiers", body="null")
    assert (status, body["error"]["details"]) == (
        422,
        [{"field": "body", "message": "must be a JSON object"}],
    )
    status, body = call("PUT", f"/offers/{OFFER}/tiers")
    assert (status, body["error"]["code"]) == (400, "MALFORMED_JSON")


def test_tier_problems_keep_the_domains_fields_in_request_order() -> None:
    tiers = [
        {"id": "gold", "name": "Gold", "nameAr": "ذهبي", "minRewards": 5, "maxRewards": None, "icon": "🥇"},
        {"id": "silver", "name": "Silver", "nameAr": "فضي", "minRewards": 0, "maxRewards": 4, "icon": "🥈"},
        {
            "id": "BAD",
            "name": "",
            "nameAr": "x",
            "minRewards": 1,
            "maxRewards": 1,
            "icon": "x",
            "color": "red",
        },
    ]
    status, body = call("PUT", f"/offers/{OFFER}/tiers", body=json.dumps({"tiers": tiers}))
    assert status == 422
    fields = [d["field"] for d in body["error"]["details"]]
    assert fields[:4] == ["tiers[1].minRewards", "tiers[2].id", "tiers[2].name", "tiers[2].color"]


def test_a_valid_ladder_reaches_the_handler_as_the_domain_reads_it() -> None:
    tiers = [
        {"id": "gold", "name": "Gold", "nameAr": "ذهبي", "minRewards": 3, "maxRewards": None, "icon": "🥇"},
        {"id": "silver", "name": "Silver", "nameAr": "فضي", "minRewards": 1, "maxRewards": 2, "icon": "🥈"},
    ]
    status, body = call("PUT", f"/offers/{OFFER}/tiers", body=json.dumps({"tiers": tiers}))
    assert status == 200
    assert [t["id"] for t in body["tiers"]] == ["silver", "gold"]
