"""A brand redraw that meets failures part-way is retried until every pass shows the new brand, as `make run` wires
it: Google Wallet answering 503 and 429 to the class and objects, APNs refusing a push. Each retry redraws whole
passes; nobody is notified."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_brand import READABLE
from tests.e2e.test_wallet_ladder_refresh import eventually
from tests.support.counter import Counter, enroll
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


def test_google_and_apns_failures_mid_redraw_are_retried_until_every_pass_is_redrawn(
    gateway: str,
    token,
    business_id: str,
    local_stack: LocalStack,
    google: GoogleWalletStandin,
    apple: AppleWalletLocal,
) -> None:
    owner = Counter(gateway, token("owner", business_id))
    offer_id = owner.create_offer()
    members = [enroll(gateway, offer_id).json() for _ in range(3)]
    wallet_ids = [object_id(LOCAL_ISSUER_ID, m["customerId"], offer_id) for m in members]
    eventually(local_stack, lambda: all(google.wallet_object(w) is not None for w in wallet_ids))
    download = requests.get(members[0]["wallet"]["appleWalletUrl"], timeout=30)
    phone = Phone(json.loads(pkpass_files(download.content)["pass.json"]), device=uuid.uuid4().hex)
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    tag = phone.updated().json()["lastUpdated"]
    patched_before = {w: len(google.object_patches(w)) for w in wallet_ids}
    notifications_before = {w: len(google.notifications(w)) for w in wallet_ids}
    the_class = class_id(LOCAL_ISSUER_ID, offer_id)
    google.fail_next("PATCH", the_class, status=503, times=1)
    google.fail_next("PATCH", wallet_ids[1], status=429, times=2)
    apple.apns.fail_next(1, 503, "ServiceUnavailable")

    changed = owner.call("PATCH", "/api/business", json={"name": "Bean There", "brand": READABLE})
    assert changed.status_code == 200, changed.text

    def redrawn() -> bool:
        stored = google.wallet_class(the_class)
        return (
            stored is not None
            and stored.get("hexBackgroundColor") == "#FFF8E7"
            and all(
                any(p.status == 200 for p in google.object_patches(w)[patched_before[w] :])
                for w in wallet_ids
            )
            and len(apple.apns.delivered(push_token)) >= 1
        )

    eventually(local_stack, redrawn)
    class_patches = [r.status for r in google.api_requests("PATCH") if the_class in r.path]
    assert 503 in class_patches and class_patches[-1] == 200
    assert [p.status for p in google.object_patches(wallet_ids[1])[patched_before[wallet_ids[1]] :]][:2] == [
        429,
        429,
    ]
    assert any(p.status == 503 for p in apple.apns.pushes if p.device_token == push_token)
    # Every pass is the whole new pass: the class wears the brand, the phone fetches the new pass, nobody notified.
    assert google.wallet_class(the_class)["issuerName"] == "Bean There"
    assert phone.updated(tag).json()["serialNumbers"] == [phone.serial]
    fetched = json.loads(pkpass_files(phone.latest().content)["pass.json"])
    assert (fetched["organizationName"], fetched["backgroundColor"]) == ("Bean There", "rgb(255, 248, 231)")
    assert {w: len(google.notifications(w)) for w in wallet_ids} == notifications_before
