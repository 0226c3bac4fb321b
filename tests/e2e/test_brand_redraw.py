"""A brand change reaches every wallet of the business, quietly, as `make run` wires it: PATCH /api/business, the
refresh queue on moto, the wallet-refresh function, the Google Wallet stand-in and the APNs stand-in."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_brand import READABLE, uploaded
from tests.e2e.test_wallet_ladder_refresh import eventually
from tests.support.counter import Counter, enroll
from tests.support.images import encoded
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


def test_a_new_brand_redraws_every_pass_of_the_business_quietly(
    gateway: str,
    token,
    business_id: str,
    local_stack: LocalStack,
    google: GoogleWalletStandin,
    apple: AppleWalletLocal,
) -> None:
    owner = Counter(gateway, token("owner", business_id))
    offers = [owner.create_offer(), owner.create_offer(name="Tea Card")]
    members = [enroll(gateway, offer_id).json() for offer_id in offers for _ in range(2)]
    wallet_ids = [object_id(LOCAL_ISSUER_ID, m["customerId"], m["offerId"]) for m in members]
    eventually(local_stack, lambda: all(google.wallet_object(w) is not None for w in wallet_ids))
    phone = Phone(json.loads(pkpass_files(_download(members[0]))["pass.json"]), device=uuid.uuid4().hex)
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    tag = phone.updated().json()["lastUpdated"]
    notifications_before = {w: len(google.notifications(w)) for w in wallet_ids}
    logo = uploaded(owner, encoded(900, 300))
    strip = uploaded(owner, encoded(1200, 400), "strip")

    changed = owner.call(
        "PATCH",
        "/api/business",
        json={"name": "Bean There", "brand": {"logoImageId": logo, "stripImageId": strip, **READABLE}},
    )
    assert changed.status_code == 200, changed.text

    def google_classes_branded() -> bool:
        classes = [google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id)) for offer_id in offers]
        return all(c is not None and c.get("hexBackgroundColor") == "#FFF8E7" for c in classes)

    # Two Google classes patched and a pass pushed, through the stream, the refresh queue and its function's cold
    # start: a loaded CI machine has taken just over 30 s; the bound is how long to wait, not a speed check.
    eventually(
        local_stack,
        lambda: google_classes_branded() and len(apple.apns.delivered(push_token)) == 1,
        within=90.0,
    )
    for offer_id in offers:
        stored = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id))
        assert stored is not None
        assert stored["issuerName"] == "Bean There"
        assert stored["programLogo"]["sourceUri"]["uri"] == f"{gateway}/brand-images/{logo}/google-logo.png"
        assert stored["heroImage"]["sourceUri"]["uri"] == f"{gateway}/brand-images/{strip}/google-hero.png"
        assert requests.get(stored["heroImage"]["sourceUri"]["uri"], timeout=30).status_code == 200
    # Nobody is notified: a business's new look is not news on the customer's phone.
    assert {w: len(google.notifications(w)) for w in wallet_ids} == notifications_before
    assert phone.updated(tag).json()["serialNumbers"] == [phone.serial]
    fetched = json.loads(pkpass_files(phone.latest().content)["pass.json"])
    assert (fetched["organizationName"], fetched["backgroundColor"]) == ("Bean There", "rgb(255, 248, 231)")


def _download(member: dict[str, object]) -> bytes:
    wallet = member["wallet"]
    assert isinstance(wallet, dict)
    response = requests.get(wallet["appleWalletUrl"], timeout=30)
    assert response.status_code == 200, response.text
    return response.content
