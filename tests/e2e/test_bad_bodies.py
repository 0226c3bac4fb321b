"""Bodies no client should send, on every route that reads one: each is a clear 4xx with the contract's error body,
never a 5xx or a dropped connection, and nothing of it is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from tests.support.counter import Counter, enroll
from tests.support.ladders import COFFEE_SHOP

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}


Send = Callable[[bytes, dict[str, str]], requests.Response]


@pytest.fixture(params=["create offer", "set tiers", "enroll", "issue credential", "apple log"])
def send(request: pytest.FixtureRequest, gateway: str, owner: Counter, offer_id: str) -> Send:
    """One route that reads a body, sent raw bytes with the given headers."""
    routes: dict[str, tuple[str, str, bool]] = {
        "create offer": ("POST", "/api/offers", True),
        "set tiers": ("PUT", f"/api/offers/{offer_id}/loyalty-tiers", True),
        "enroll": ("POST", f"/api/offers/{offer_id}/enroll", False),
        "issue credential": ("POST", "/api/credentials/issue", True),
        "apple log": ("POST", "/wallet/apple/v1/log", False),
    }
    method, path, signed_in = routes[request.param]

    def call(body: bytes, headers: dict[str, str]) -> requests.Response:
        if signed_in:
            return owner.call(method, path, data=body, headers=headers)
        return requests.request(method, f"{gateway}{path}", data=body, headers=headers, timeout=30)

    return call


def assert_malformed(response: requests.Response) -> None:
    assert response.status_code == 400, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is False and body["error"]["code"] == "MALFORMED_JSON"


def test_bytes_that_are_not_utf8(send: Send) -> None:
    assert_malformed(send(b'{"name": "\xff\xfe", "stampsRequired": 5}', JSON))


def test_nesting_no_request_has(send: Send) -> None:
    assert_malformed(send(b"[" * 5000 + b"]" * 5000, JSON))
    assert_malformed(send(b'{"a":' * 100 + b"1" + b"}" * 100, JSON))


def test_a_string_that_is_not_unicode(send: Send) -> None:
    assert_malformed(send(b'{"name": "\\ud800", "email": "a@example.com", "stampsRequired": 5}', JSON))


def test_an_offer_named_with_a_lone_surrogate_is_never_stored(owner: Counter) -> None:
    before = owner.call("GET", "/api/offers").json()["items"]
    assert_malformed(owner.call("POST", "/api/offers", data=b'{"name": "\\udc00 Card", "stampsRequired": 5}',
                                headers=JSON))  # fmt: skip
    assert owner.call("GET", "/api/offers").json()["items"] == before


def test_a_tier_named_with_a_lone_surrogate_is_refused(owner: Counter, offer_id: str) -> None:
    tiers = json.dumps(COFFEE_SHOP).replace('"Coffee Lover"', '"Coffee \\ud83d Lover"')
    assert "\\ud83d" in tiers
    answer = owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", data=tiers.encode(), headers=JSON)
    assert_malformed(answer)
    assert owner.call("GET", f"/api/offers/{offer_id}/loyalty-tiers").json()["source"] == "default"


@pytest.mark.parametrize(
    "content_type",
    ["Application/JSON", "application/json; charset=UTF-8", "text/plain", "application/vnd.api+json"],
)
def test_json_is_read_whatever_the_content_type_says(gateway: str, offer_id: str, content_type: str) -> None:
    answer = requests.post(
        f"{gateway}/api/offers/{offer_id}/enroll",
        data=b'{"email": "ct@example.com", "name": "Dana"}',
        headers={"Content-Type": content_type},
        timeout=30,
    )
    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["offerId"] == offer_id


def test_an_empty_body_is_malformed_on_every_route_that_needs_one(
    gateway: str, owner: Counter, offer_id: str
) -> None:
    assert_malformed(
        requests.post(f"{gateway}/api/offers/{offer_id}/enroll", data=b"", headers=JSON, timeout=30)
    )
    assert_malformed(owner.call("POST", "/api/credentials/issue", data=b"", headers=JSON))
    assert_malformed(owner.call("POST", "/api/offers", data=b"", headers=JSON))
    assert_malformed(owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", data=b"", headers=JSON))


def test_a_good_body_still_works_after_all_that(gateway: str, offer_id: str) -> None:
    assert enroll(gateway, offer_id, name="سارة").status_code == 201
