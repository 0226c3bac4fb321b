"""No 5xx for bad input on any route (issue 12): long, odd and binary path segments and headers, thrown at every
route of template.yaml through the local gateway, with a valid token where the route needs one and a body the
route would accept, so that only the segments and headers are wrong. Every answer is a 4xx (or a 2xx) with the
contract's error body, never a 5xx: each segment is checked before it reaches a store."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty_local.cloud.template import DEFAULT_ROUTE, Route, http_routes

pytestmark = pytest.mark.e2e

ROUTES = [route for route in http_routes() if route.path != DEFAULT_ROUTE and "{" in route.path]
BODIES: dict[str, Any] = {
    "/api/offers/{offerId}/enroll": {"email": "fuzz@example.com", "name": "Fuzz"},
    "/api/offers/{offerId}/loyalty-tiers": {"enabled": False, "tiers": []},
    "/wallet/apple/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}/{serialNumber}": {
        "pushToken": "ab" * 32
    },
}

# Raw bytes of any value (invalid UTF-8 included), long runs, and the characters parsers trip on.
segments = st.one_of(
    st.binary(min_size=1, max_size=64).map(lambda raw: quote(raw, safe="")),
    st.text(min_size=1, max_size=80).map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")),
    st.integers(1, 5000).map(lambda n: "A" * n),
    st.sampled_from(
        ["cus_" + "a" * 2000, "off_" + "a" * 26 + "%00", "%2E%2E", "%2F", "%25", "%FF%FE", "+", "~"]
    ),
)
QUERY = ("passesUpdatedSince", "token", "expires", "limit", "cursor", "status", "tier", "q", "from", "to")
# Header values HTTP can carry (latin-1 text), long and odd: Authorization, Idempotency-Key, If-Modified-Since.
header_values = st.one_of(
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), min_size=1, max_size=300)
    .map(str.strip)
    .filter(bool),
    st.integers(200, 6000).map(lambda n: "k" * n),
)


def url_for(gateway: str, route: Route, values: list[str]) -> str:
    names = re.findall(r"\{([^}]+)\}", route.path)
    path = route.path
    for name, value in zip(names, values, strict=True):
        path = path.replace("{" + name + "}", value)
    return gateway + path


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.route_key)
def test_no_path_segment_or_header_is_a_server_error(gateway: str, token, route: Route) -> None:
    bearer = {} if route.public else {"Authorization": f"Bearer {token('owner', 'biz_fuzzbusiness0001')}"}
    count = route.path.count("{")
    # The wallet routes read the store only for our own pass type: give them it, with everything else wrong.
    values_of = st.one_of(segments, st.just(os.environ.get("APPLE_WALLET_PASS_TYPE_ID", "pass.local")))

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(
        st.lists(values_of, min_size=count, max_size=count),
        header_values,
        st.sampled_from(["idempotency-key", "authorization", "if-modified-since", "content-type"]),
        segments,
    )
    def check(values: list[str], header_value: str, header: str, query_value: str) -> None:
        headers = dict(bearer)
        if not (header == "authorization" and not route.public):
            headers[header] = header_value
        response = requests.request(
            route.method,
            # Every query parameter a route reads, all set to the same odd value.
            url_for(gateway, route, values) + "?" + "&".join(f"{name}={query_value}" for name in QUERY),
            json=BODIES.get(route.path, {}) if route.method in ("POST", "PUT", "PATCH") else None,
            headers=headers,
            timeout=30,
        )
        assert response.status_code < 500, (
            route.route_key,
            values,
            header,
            response.status_code,
            response.text,
        )
        if response.status_code >= 400 and response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            body = response.json()
            assert body["success"] is False and body["error"]["code"], body

    check()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/wallet/apple/v1/devices/{device}/registrations/{type}/{serial}"),
        ("DELETE", "/wallet/apple/v1/devices/{device}/registrations/{type}/{serial}"),
        ("GET", "/wallet/apple/v1/passes/{type}/{serial}"),
    ],
)
def test_a_2010_character_apple_serial_is_a_4xx_not_500(gateway: str, method: str, path: str) -> None:
    url = gateway + path.format(
        device="a" * 32, type=os.environ["APPLE_WALLET_PASS_TYPE_ID"], serial="s" * 2010
    )
    response = requests.request(
        method,
        url,
        json={"pushToken": "ab" * 32},
        headers={"Authorization": "ApplePass " + "t" * 32},
        timeout=30,
    )
    # Refused before any store: by the route's typed parameters (422) or as a serial of no pass of ours (401).
    assert response.status_code in (401, 422), response.text
    assert response.json()["error"]["code"] in ("UNAUTHORIZED", "VALIDATION_ERROR")
