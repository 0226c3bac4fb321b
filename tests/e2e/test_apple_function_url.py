"""The PassKit web service behind the Apple Wallet function's own URL (docs/decisions/0021j): passes rendered now send
phones there, the whole protocol works through it, and the HttpApi routes keep answering passes issued before."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from loyalty_local.cloud.stack import LocalStack
from tests.support.counter import Counter, enroll
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer(gateway: str, owner: Counter) -> dict[str, Any]:
    offer_id = owner.create_offer(stamps_required=5)
    response = enroll(gateway, offer_id, name="Jane")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _pass_json(customer: dict[str, Any]) -> dict[str, Any]:
    download = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    assert download.status_code == 200, download.text
    document: dict[str, Any] = json.loads(pkpass_files(download.content)["pass.json"])
    return document


def test_a_pass_downloaded_now_names_the_function_url(
    local_stack: LocalStack, apple_web_service: str, customer: dict[str, Any]
) -> None:
    assert not apple_web_service.startswith(local_stack.base_url)
    assert customer["wallet"]["appleWalletUrl"].startswith(f"{apple_web_service}/download/")
    assert _pass_json(customer)["webServiceURL"] == apple_web_service
    # Enroll was given the URL itself (no Parameter Store read on its cold start); the Apple Wallet function, which
    # cannot be, reads it from the parameter.
    assert local_stack.runtime is not None
    definitions = local_stack.runtime.definitions
    enroll_env = local_stack.function_environment(definitions["EnrollFunction"])
    assert enroll_env["APPLE_WALLET_FUNCTION_URL"].rstrip("/") + "/wallet/apple" == apple_web_service
    apple_env = local_stack.function_environment(definitions["AppleWalletFunction"])
    assert (
        "APPLE_WALLET_FUNCTION_URL" not in apple_env and apple_env["APPLE_WALLET_WEB_SERVICE_URL_PARAMETER"]
    )


def test_a_phone_registers_lists_fetches_and_logs_through_the_function_url(
    apple_web_service: str, manager: Counter, customer: dict[str, Any]
) -> None:
    phone = Phone(_pass_json(customer), device=uuid.uuid4().hex)
    assert phone.base == apple_web_service
    assert phone.register("c" * 64).status_code == 201
    listed = phone.updated()
    assert listed.status_code == 200, listed.text
    assert listed.json()["serialNumbers"] == [phone.serial]
    phone.tag = listed.json()["lastUpdated"]

    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    (fetched,) = phone.answer_push()
    assert fetched.status_code == 200
    assert fetched.headers["Content-Type"] == "application/vnd.apple.pkpass"
    shown = json.loads(pkpass_files(fetched.content)["pass.json"])
    assert shown["storeCard"]["secondaryFields"][0]["value"] == "1 of 5"
    assert shown["webServiceURL"] == apple_web_service

    assert phone.latest(auth={"Authorization": "ApplePass not-this-pass-token"}).status_code == 401
    logged = requests.post(f"{apple_web_service}/v1/log", json={"logs": ["Invalid pass"]}, timeout=30)
    assert logged.status_code == 200
    # The body is screened behind the URL too (its route key is always `$default`): not JSON is 400, not a 5xx.
    garbled = requests.post(f"{apple_web_service}/v1/log", data=b"{\xff", timeout=30)
    assert garbled.status_code == 400
    assert garbled.json()["error"]["code"] == "MALFORMED_JSON"
    assert phone.unregister().status_code == 200


def test_the_http_api_paths_still_answer_a_pass_issued_before(
    local_stack: LocalStack, gateway: str, customer: dict[str, Any]
) -> None:
    document = _pass_json(customer)
    # A pass issued before this change names the stage's own origin: its phone keeps calling there.
    before = Phone({**document, "webServiceURL": f"{gateway}/wallet/apple"}, device=uuid.uuid4().hex)
    assert before.base.startswith(local_stack.base_url)
    assert before.register("d" * 64).status_code == 201
    listed = before.updated()
    assert listed.status_code == 200
    assert listed.json()["serialNumbers"] == [before.serial]
    latest = before.latest()
    assert latest.status_code == 200
    assert pkpass_files(latest.content)["pass.json"]
    assert (
        requests.post(f"{gateway}/wallet/apple/v1/log", json={"logs": ["x"]}, timeout=30).status_code == 200
    )
    assert before.unregister().status_code == 200


def test_an_unknown_path_behind_the_url_is_the_contracts_404(apple_web_service: str) -> None:
    answer = requests.get(f"{apple_web_service}/v1/nothing-here", timeout=30)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"
