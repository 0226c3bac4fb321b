"""The APNs stand-in refuses what APNs refuses, so a push that passes here is a push Apple would take."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import jwt
import pytest

from loyalty.adapters.apple.credentials import parse_apns_key
from loyalty_local.standins.apns import ApnsStandIn
from tests.support.wallet_certs import AppleTestChain

pytestmark = pytest.mark.integration


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(http1=False, http2=True, timeout=5) as client:
        yield client


def _token(chain: AppleTestChain, **changes: object) -> str:
    key = parse_apns_key(chain.apns_secret())
    claims = {"iss": chain.team_id, "iat": int(time.time()), **changes}
    return jwt.encode(claims, key.private_key, algorithm="ES256", headers={"kid": chain.apns_key_id})


def _push(
    http: httpx.Client,
    apns: ApnsStandIn,
    token: str,
    topic: str,
    body: bytes = b"{}",
    device: str = "a" * 64,
    **extra: str,
) -> httpx.Response:
    headers = {
        "authorization": f"bearer {token}",
        "apns-topic": topic,
        "apns-push-type": "background",
        **extra,
    }
    return http.post(f"{apns.endpoint}/3/device/{device}", headers=headers, content=body)


def test_speaks_http2_and_records_the_push(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    response = _push(http, apns, _token(chain), chain.pass_type_id)
    assert response.status_code == 200
    assert response.http_version == "HTTP/2"
    assert response.headers["apns-id"]
    recorded = http.get(f"{apns.endpoint}/_standin/pushes").json()
    assert [(p["device_token"], p["topic"], p["payload"]) for p in recorded] == [
        ("a" * 64, chain.pass_type_id, {})
    ]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"iss": "SOMEONEELS"}, "InvalidProviderToken"),
        ({"iat": int(time.time()) - 3700}, "ExpiredProviderToken"),
    ],
)
def test_refuses_provider_tokens_apple_would_refuse(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain, changes: dict[str, object], reason: str
) -> None:
    response = _push(http, apns, _token(chain, **changes), chain.pass_type_id)
    assert response.status_code == 403
    assert response.json() == {"reason": reason}
    assert apns.delivered() == []


def test_refuses_other_topics_and_empty_payloads(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    assert _push(http, apns, _token(chain), "pass.other.type").json() == {"reason": "TopicDisallowed"}
    assert _push(http, apns, _token(chain), chain.pass_type_id, b"").json() == {"reason": "PayloadEmpty"}
    assert _push(http, apns, "", chain.pass_type_id).status_code == 403
    assert apns.delivered() == []


def test_dead_tokens_get_410_with_a_timestamp(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    apns.mark_dead("a" * 64)
    response = _push(http, apns, _token(chain), chain.pass_type_id)
    assert response.status_code == 410
    assert response.json()["reason"] == "Unregistered"
    assert isinstance(response.json()["timestamp"], int)


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"apns-push-type": ""}, "InvalidPushType"),
        ({"apns-push-type": "alert"}, "InvalidPushType"),
        ({"apns-priority": "10"}, "BadPriority"),
    ],
)
def test_a_pass_update_must_be_a_background_push_of_priority_5(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain, extra: dict[str, str], reason: str
) -> None:
    response = _push(http, apns, _token(chain), chain.pass_type_id, **extra)
    assert (response.status_code, response.json()) == (400, {"reason": reason})
    assert apns.delivered() == []


def test_the_push_list_is_readable_at_any_size(
    http: httpx.Client, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    # ~1,000 recorded pushes are ~400 KB of JSON: many HTTP/2 frames and several flow-control windows.
    token = _token(chain)
    for n in range(1000):
        assert _push(http, apns, token, chain.pass_type_id, device=f"{n:064x}").status_code == 200
    recorded = http.get(f"{apns.endpoint}/_standin/pushes")
    assert recorded.status_code == 200
    assert len(recorded.content) > 16_384 * 4
    assert [p["device_token"] for p in recorded.json()] == [f"{n:064x}" for n in range(1000)]
    assert {p["push_type"] for p in recorded.json()} == {"background"}
