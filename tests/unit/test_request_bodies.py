"""What every route's body goes through before a route reads it: whatever the bytes, a 400/413 with the contract's
body or JSON text any route can parse and answer — never the way to a 5xx."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
from aws_lambda_powertools.event_handler import Response
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty import bootstrap
from loyalty.entrypoints.http.api import MAX_JSON_DEPTH, screen_request


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TABLE_NAME", "unit")
    bootstrap.reset()
    yield
    bootstrap.reset()


def event(
    body: bytes | str, *, encoded: bool = False, content_type: str = "application/json"
) -> dict[str, Any]:
    if isinstance(body, bytes):
        body, encoded = base64.b64encode(body).decode(), True
    return {
        "version": "2.0",
        "headers": {"content-type": content_type},
        "body": body,
        "isBase64Encoded": encoded,
    }


def refused(screened: dict[str, Any] | Response[Any]) -> tuple[int, str]:
    assert isinstance(screened, Response)
    answer = json.loads(str(screened.body))
    assert answer["success"] is False
    return screened.status_code, answer["error"]["code"]


def usable(screened: dict[str, Any] | Response[Any]) -> Any:
    """The JSON a route would read, after checking it is what every route can parse and answer."""
    assert isinstance(screened, dict)
    assert screened["isBase64Encoded"] is False
    assert screened["headers"]["content-type"] == "application/json"
    parsed = json.loads(screened["body"])
    json.dumps(parsed, ensure_ascii=False).encode("utf-8")  # every string in it can be answered back
    return parsed


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_any_bytes_are_refused_or_made_usable(raw: bytes) -> None:
    sent = event(raw)
    screened = screen_request(sent)
    if not raw:
        assert screened is sent  # no body: the route decides whether it needs one
    elif isinstance(screened, Response):
        assert refused(screened) in ((400, "MALFORMED_JSON"), (413, "PAYLOAD_TOO_LARGE"))
    else:
        usable(screened)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values, st.sampled_from(["application/json", "Application/JSON", "text/plain", ""]))
def test_json_comes_through_unchanged_whatever_its_content_type(value: Any, content_type: str) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert usable(screen_request(event(text, content_type=content_type))) == value
    assert usable(screen_request(event(text.encode("utf-8")))) == value


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "\\ud800"}',  # a lone high surrogate
        '["\\udfff"]',  # a lone low surrogate
        '{"\\ud83d": 1}',  # in a key
        "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),
        "[" * 10_000 + "]" * 10_000,
        "{'single': 'quotes'}",
        "NaN-ish",
    ],
)
def test_what_no_route_could_answer_is_malformed(body: str) -> None:
    assert refused(screen_request(event(body))) == (400, "MALFORMED_JSON")


def test_a_surrogate_pair_is_one_character_and_welcome() -> None:
    assert usable(screen_request(event('{"icon": "\\ud83d\\udc51"}'))) == {"icon": "👑"}


def test_the_deepest_body_allowed_passes() -> None:
    body = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert usable(screen_request(event(body))) is not None


def test_no_body_is_left_to_the_route() -> None:
    bodiless = {"version": "2.0", "headers": {}, "isBase64Encoded": False}
    assert screen_request(bodiless) is bodiless


def test_a_body_over_the_limit_is_413_before_it_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")
    bootstrap.reset()
    assert refused(screen_request(event("[" + "1," * 2000 + "1]"))) == (413, "PAYLOAD_TOO_LARGE")
