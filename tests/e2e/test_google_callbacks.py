"""Google's save and delete callbacks through the local gateway: the Google stand-in signs them as Google does
(with its own test root key, which the local stack publishes in place of Google's), and the owner sees whether each
pass is still in Google Wallet; a forged one is 401 and changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.standins.google_callbacks import CallbackSigner
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer(gateway: str, offer_id: str) -> dict[str, Any]:
    response = enroll(gateway, offer_id, name="Jane")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _google(owner: Counter, customer: dict[str, Any]) -> dict[str, Any]:
    answer = owner.call(
        "GET", f"/api/offers/{customer['offerId']}/customers", params={"q": customer["customerId"]}
    )
    assert answer.status_code == 200, answer.text
    google: dict[str, Any] = answer.json()["items"][0]["wallet"]["google"]
    return google


def _counts(owner: Counter, offer_id: str) -> dict[str, int]:
    today = datetime.now(UTC).date().isoformat()
    answer = owner.call("GET", f"/api/offers/{offer_id}/stats", params={"from": today, "to": today})
    assert answer.status_code == 200, answer.text
    counts: dict[str, int] = answer.json()["wallets"]
    return counts


def test_saving_and_removing_the_pass_is_seen_by_the_owner(
    google: GoogleWalletStandin, owner: Counter, customer: dict[str, Any]
) -> None:
    wallet_id = object_id(LOCAL_ISSUER_ID, customer["customerId"], customer["offerId"])
    callback_url = google.wallet_class(class_id(LOCAL_ISSUER_ID, customer["offerId"]))["callbackOptions"][
        "url"
    ]
    assert callback_url.endswith("/wallet/google/callback")
    assert _google(owner, customer)["saved"] is None

    assert google.save(wallet_id) == 200
    assert _google(owner, customer)["saved"] is True
    assert (
        eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["googleSaved"] == 1)[
            "googleRemoved"
        ]
        == 0
    )

    assert google.remove(wallet_id) == 200
    assert _google(owner, customer)["saved"] is False
    counts = eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["googleRemoved"] == 1)
    assert (counts["googleSaved"], counts["googleRemoved"]) == (0, 1)


def test_a_replayed_callback_changes_nothing(
    gateway: str, google: GoogleWalletStandin, owner: Counter, customer: dict[str, Any]
) -> None:
    wallet_id = object_id(LOCAL_ISSUER_ID, customer["customerId"], customer["offerId"])
    save = google.signer.callback(class_id(LOCAL_ISSUER_ID, customer["offerId"]), wallet_id, "save")
    assert requests.post(f"{gateway}/wallet/google/callback", json=save, timeout=30).status_code == 200
    assert google.remove(wallet_id) == 200
    # The earlier save, delivered again after the removal: acknowledged, and the pass stays removed.
    assert requests.post(f"{gateway}/wallet/google/callback", json=save, timeout=30).status_code == 200
    assert _google(owner, customer)["saved"] is False


def test_a_forged_callback_is_refused_and_changes_nothing(
    gateway: str, google: GoogleWalletStandin, owner: Counter, customer: dict[str, Any]
) -> None:
    wallet_id = object_id(LOCAL_ISSUER_ID, customer["customerId"], customer["offerId"])
    forged = CallbackSigner(LOCAL_ISSUER_ID).callback(
        class_id(LOCAL_ISSUER_ID, customer["offerId"]), wallet_id, "del"
    )
    answer = requests.post(f"{gateway}/wallet/google/callback", json=forged, timeout=30)
    assert answer.status_code == 401
    assert answer.json()["success"] is False and answer.json()["error"]["code"] == "UNAUTHORIZED"
    # A genuine one with its message edited after signing.
    genuine = google.signer.callback(class_id(LOCAL_ISSUER_ID, customer["offerId"]), wallet_id, "save")
    message = json.loads(genuine["signedMessage"])
    edited = {**genuine, "signedMessage": json.dumps({**message, "eventType": "del"})}
    assert requests.post(f"{gateway}/wallet/google/callback", json=edited, timeout=30).status_code == 401
    assert requests.post(f"{gateway}/wallet/google/callback", data="{", timeout=30).status_code == 400
    assert _google(owner, customer)["saved"] is None
