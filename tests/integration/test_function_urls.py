"""The local function-URL listener: the event Lambda's URL endpoint builds, and what it refuses before any function
runs (a public URL without both public grants, a body over the invocation limit, a failing function)."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from loyalty_local.cloud.function_urls import FunctionUrl, FunctionUrlDef, function_urls, serve
from loyalty_local.cloud.lambda_runtime import FunctionDef
from loyalty_local.cloud.template import load_template

pytestmark = pytest.mark.integration


class Recording:
    """A runtime that keeps each event and answers what it is told to."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.answer: Any = {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "ok"}

    @property
    def definitions(self) -> dict[str, FunctionDef]:
        return {}

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def runtime() -> Recording:
    return Recording()


@pytest.fixture
def public(runtime: Recording) -> Iterator[FunctionUrl]:
    served = serve(FunctionUrlDef("AppleWalletFunction", "NONE", True, True), runtime, "127.0.0.1", 0)
    yield served
    served.stop()


def test_the_template_grants_the_apple_wallet_url_both_public_permissions() -> None:
    (found,) = [u for u in function_urls() if u.function == "AppleWalletFunction"]
    assert found.auth_type == "NONE"
    assert found.public_invoke_url and found.public_invoke_function
    assert not found.refusal({})


def test_without_the_invoke_function_grant_the_url_answers_403(runtime: Recording) -> None:
    template = copy.deepcopy(load_template())
    del template["Resources"]["AppleWalletFunctionUrlInvokePermission"]
    (found,) = [u for u in function_urls(template) if u.function == "AppleWalletFunction"]
    assert not found.public_invoke_function
    served = serve(found, runtime, "127.0.0.1", 0)
    try:
        answer = requests.get(served.url + "wallet/apple/v1/log", timeout=10)
    finally:
        served.stop()
    assert answer.status_code == 403
    assert answer.json()["Message"].startswith("Forbidden")
    assert runtime.events == []


def test_an_iam_url_refuses_an_unsigned_request(runtime: Recording) -> None:
    served = serve(FunctionUrlDef("F", "AWS_IAM", False, False), runtime, "127.0.0.1", 0)
    try:
        assert requests.get(served.url, timeout=10).status_code == 403
    finally:
        served.stop()
    assert runtime.events == []


def test_the_event_is_payload_2_0_with_route_key_default(public: FunctionUrl, runtime: Recording) -> None:
    answer = requests.post(
        public.url + "wallet/apple/v1/devices/d1/registrations/pass.x/s1?a=1&a=2&b=",
        json={"pushToken": "ab"},
        headers={"Authorization": "ApplePass tok", "Cookie": "k=v; m=n"},
        timeout=10,
    )
    assert answer.status_code == 200
    assert answer.text == "ok"
    (event,) = runtime.events
    assert event["version"] == "2.0"
    assert event["routeKey"] == "$default"
    assert event["rawPath"] == "/wallet/apple/v1/devices/d1/registrations/pass.x/s1"
    assert event["rawQueryString"] == "a=1&a=2&b="
    assert event["queryStringParameters"] == {"a": "1,2", "b": ""}
    assert event["cookies"] == ["k=v", "m=n"]
    assert event["headers"]["authorization"] == "ApplePass tok"
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["routeKey"] == "$default"
    assert event["body"] == '{"pushToken": "ab"}'
    assert event["isBase64Encoded"] is False
    assert "pathParameters" not in event


def test_a_body_that_is_not_text_arrives_base64_encoded(public: FunctionUrl, runtime: Recording) -> None:
    requests.post(
        public.url + "x", data=b"\x00\xff", headers={"Content-Type": "application/octet-stream"}, timeout=10
    )
    (event,) = runtime.events
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\xff"


def test_a_binary_answer_is_sent_as_bytes(public: FunctionUrl, runtime: Recording) -> None:
    runtime.answer = {
        "statusCode": 200,
        "headers": {"Content-Type": "application/vnd.apple.pkpass"},
        "body": base64.b64encode(b"PK\x03\x04").decode(),
        "isBase64Encoded": True,
    }
    answer = requests.get(public.url + "wallet/apple/v1/passes/pass.x/s1", timeout=10)
    assert answer.content == b"PK\x03\x04"
    assert answer.headers["Content-Type"] == "application/vnd.apple.pkpass"


def test_a_failing_function_is_a_502(public: FunctionUrl, runtime: Recording) -> None:
    runtime.answer = RuntimeError("boom")
    assert requests.get(public.url, timeout=10).status_code == 502


def test_a_body_over_the_invocation_limit_is_413(public: FunctionUrl, runtime: Recording) -> None:
    answer = requests.post(public.url, data=b"x" * (6 * 1024 * 1024 + 1), timeout=30)
    assert answer.status_code == 413
    assert runtime.events == []
