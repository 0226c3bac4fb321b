"""Marketing consent through the local gateway: asked unticked at enrollment, shown to the owner, changed from the
link on the pass's back or from a mailed recovery link, and a forged link changes nothing."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.counter import Counter, enroll, recovery_token
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e


def preferences(gateway: str, **body: Any) -> requests.Response:
    return requests.post(f"{gateway}/api/passes/preferences", json=body, timeout=30)


def member(owner: Counter, offer_id: str, customer_id: str) -> dict[str, Any]:
    answer = owner.call("GET", f"/api/offers/{offer_id}/customers", params={"q": customer_id})
    assert answer.status_code == 200, answer.text
    (item,) = answer.json()["items"]
    return dict(item)


def back_link(joined: dict[str, Any]) -> dict[str, str]:
    """The preferences link on the Apple pass's back, as the customer's phone shows it."""
    document = json.loads(
        pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    (field,) = [f for f in document["storeCard"]["backFields"] if f["key"] == "preferences"]
    url = next(word for word in field["value"].split() if "/pass/preferences?" in word)
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_the_owner_sees_each_answer_and_when_it_was_given(
    gateway: str, owner: Counter, offer_id: str
) -> None:
    quiet = enroll(gateway, offer_id).json()
    keen = enroll(gateway, offer_id, marketingConsent=True).json()

    assert member(owner, offer_id, quiet["customerId"])["marketingConsent"] is False
    shown = member(owner, offer_id, keen["customerId"])
    assert shown["marketingConsent"] is True
    assert shown["marketingConsentAt"] == shown["memberSince"]


def test_a_consent_that_is_not_true_or_false_is_refused_and_no_pass_made(gateway: str, offer_id: str) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    refused = enroll(gateway, offer_id, email=email, marketingConsent="yes")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "VALIDATION_ERROR"
    assert enroll(gateway, offer_id, email=email).status_code == 201  # nothing was half-made before


def test_the_pass_back_link_changes_the_answer_the_owner_sees(
    gateway: str, owner: Counter, offer_id: str
) -> None:
    joined = enroll(gateway, offer_id).json()
    link = back_link(joined)
    assert link["customerId"] == joined["customerId"]

    read = preferences(gateway, **link)
    assert read.status_code == 200, read.text
    assert read.json()["marketingConsent"] is False
    changed = preferences(gateway, **link, marketingConsent=True)
    assert changed.status_code == 200, changed.text
    assert member(owner, offer_id, joined["customerId"])["marketingConsent"] is True
    assert (
        member(owner, offer_id, joined["customerId"])["marketingConsentAt"]
        == changed.json()["marketingConsentAt"]
    )


def test_a_forged_or_half_link_is_refused_and_changes_nothing(
    gateway: str, owner: Counter, offer_id: str
) -> None:
    joined = enroll(gateway, offer_id).json()
    link = back_link(joined)
    forged = {**link, "token": "A" * 32}

    assert preferences(gateway, **forged, marketingConsent=True).status_code == 404
    assert preferences(gateway, customerId=link["customerId"], marketingConsent=True).status_code == 422
    assert preferences(gateway, **link, recoveryToken="x" * 43).status_code == 422
    assert member(owner, offer_id, joined["customerId"])["marketingConsent"] is False


def test_a_recovery_link_changes_it_too(gateway: str, owner: Counter, offer_id: str) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    joined = enroll(gateway, offer_id, email=email, marketingConsent=True).json()
    assert enroll(gateway, offer_id, email=email).status_code == 202

    changed = preferences(gateway, recoveryToken=recovery_token(gateway, email), marketingConsent=False)
    assert changed.status_code == 200, changed.text
    assert member(owner, offer_id, joined["customerId"])["marketingConsent"] is False
