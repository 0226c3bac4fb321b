"""A business reshapes its tier ladder and every wallet of the offer follows, as `make run` wires it: the tier
PUT through the gateway, the table's stream, the wallet sync, the refresh queue on moto, the wallet-refresh
function, the Google Wallet stand-in and the APNs stand-in."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.support.counter import Counter, enroll
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e

COFFEE_LADDER = {
    "enabled": True,
    "tiers": [
        {"id": "lover", "name": "Coffee Lover", "nameAr": "عاشق القهوة", "minRewards": 1, "maxRewards": 3,
         "icon": "☕"},
        {"id": "expert", "name": "Coffee Expert", "nameAr": "خبير القهوة", "minRewards": 4, "maxRewards": 9,
         "icon": "🏆"},
        {"id": "master", "name": "Coffee Master", "nameAr": "سيد القهوة", "minRewards": 10, "maxRewards": None,
         "icon": "👑"},
    ],
}  # fmt: skip


def eventually(stack: LocalStack, condition: Callable[[], bool], within: float = 30.0) -> None:
    """Wait until the change went all the way through, then until stream and queues are quiet."""
    assert stack.poller is not None and stack.queues is not None
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the wallets never followed the new ladder"
        time.sleep(0.05)
    for _ in range(2):
        assert stack.poller.wait_idle(within)
        assert stack.queues.wait_idle(within)


def member_status(google: GoogleWalletStandin, wallet_id: str) -> str | None:
    stored = google.wallet_object(wallet_id)
    if stored is None:
        return None
    modules = {module["id"]: module["body"] for module in stored.get("textModulesData", [])}
    return modules.get("member_status")


@pytest.fixture
def shop(gateway: str, token, business_id: str, local_stack: LocalStack, google: GoogleWalletStandin):
    """An offer with three customers: one with a prize claimed, two new; every Google object in place."""
    owner = Counter(gateway, token("owner", business_id))
    manager = Counter(gateway, token("manager", business_id, branch_id="branch-1"))
    offer_id = owner.create_offer(stamps_required=2)
    customers: list[dict[str, Any]] = []
    for name in ("Amira", "Ben", "Chloe"):
        enrolled = enroll(gateway, offer_id, name=name)
        assert enrolled.status_code == 201, enrolled.text
        customers.append(enrolled.json())
    regular = customers[0]["customerId"]
    for _ in range(2):
        assert manager.scan(regular, offer_id).status_code == 200
    assert manager.confirm(regular, offer_id).status_code == 200
    wallet_ids = [object_id(LOCAL_ISSUER_ID, c["customerId"], offer_id) for c in customers]
    eventually(local_stack, lambda: member_status(google, wallet_ids[0]) == "🥉 Bronze Member")
    return owner, manager, offer_id, customers, wallet_ids


def test_a_new_ladder_redraws_every_google_wallet_quietly(
    local_stack: LocalStack, google: GoogleWalletStandin, shop
) -> None:
    owner, _, offer_id, _, wallet_ids = shop
    patches_before = {w: len(google.object_patches(w)) for w in wallet_ids}
    notifications_before = {w: len(google.notifications(w)) for w in wallet_ids}

    answer = owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_LADDER)
    assert answer.status_code == 200, answer.text

    eventually(local_stack, lambda: member_status(google, wallet_ids[0]) == "☕ Coffee Lover")
    # The regular is a Coffee Lover now; the newcomers see the new ladder's first step ahead of them.
    stored = google.wallet_object(wallet_ids[1])
    assert stored is not None
    modules = {module["id"]: module["body"] for module in stored["textModulesData"]}
    assert "Coffee Lover" in modules["next_tier"]
    for wallet_id in wallet_ids:
        assert len(google.object_patches(wallet_id)) == patches_before[wallet_id] + 1
        assert len(google.notifications(wallet_id)) == notifications_before[wallet_id]


def test_back_to_the_default_ladder_redraws_again(
    local_stack: LocalStack, google: GoogleWalletStandin, shop
) -> None:
    owner, _, offer_id, _, wallet_ids = shop
    assert owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_LADDER).status_code == 200
    eventually(local_stack, lambda: member_status(google, wallet_ids[0]) == "☕ Coffee Lover")

    assert owner.call("DELETE", f"/api/offers/{offer_id}/loyalty-tiers").status_code == 200
    eventually(local_stack, lambda: member_status(google, wallet_ids[0]) == "🥉 Bronze Member")


def test_renaming_nothing_redraws_nothing(local_stack: LocalStack, google: GoogleWalletStandin, shop) -> None:
    owner, _, offer_id, _, wallet_ids = shop
    assert owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_LADDER).status_code == 200
    eventually(local_stack, lambda: member_status(google, wallet_ids[0]) == "☕ Coffee Lover")
    patches_before = {w: len(google.object_patches(w)) for w in wallet_ids}

    # The same ladder in another order is the same ladder: no customer would see a difference.
    reordered = {**COFFEE_LADDER, "tiers": list(reversed(COFFEE_LADDER["tiers"]))}
    assert owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=reordered).status_code == 200
    eventually(local_stack, lambda: True)
    assert {w: len(google.object_patches(w)) for w in wallet_ids} == patches_before


def test_a_new_ladder_reaches_the_iphone(local_stack: LocalStack, apple: AppleWalletLocal, shop) -> None:
    owner, _, offer_id, customers, _ = shop
    regular = customers[0]
    pkpass = download(regular)
    phone = Phone(json.loads(pkpass_files(pkpass)["pass.json"]), device=uuid.uuid4().hex)
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    tag = phone.updated().json()["lastUpdated"]
    dated = phone.latest().headers["Last-Modified"]

    assert owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_LADDER).status_code == 200
    eventually(local_stack, lambda: len(apple.apns.delivered(push_token)) == 1)

    # What the phone then does: ask what changed since its tag, fetch the pass again, show the new tier.
    assert phone.updated(tag).json()["serialNumbers"] == [phone.serial]
    fetched = phone.latest(since=dated)
    assert fetched.status_code == 200
    secondary = json.loads(pkpass_files(fetched.content)["pass.json"])["storeCard"]["secondaryFields"]
    assert {f["key"]: f["value"] for f in secondary}["tier"] == "☕ Coffee Lover"


def download(customer: dict[str, Any]) -> bytes:
    response = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    assert response.status_code == 200, response.text
    return response.content


def test_an_edited_offer_text_redraws_every_wallet_quietly(
    local_stack: LocalStack, google: GoogleWalletStandin, shop
) -> None:
    owner, _, offer_id, _, wallet_ids = shop
    patches_before = {w: len(google.object_patches(w)) for w in wallet_ids}
    notifications_before = {w: len(google.notifications(w)) for w in wallet_ids}

    edited = owner.call("PATCH", f"/api/offers/{offer_id}", json={"name": "Tea Card"})
    assert edited.status_code == 200, edited.text

    eventually(
        local_stack,
        lambda: all(len(google.object_patches(w)) == patches_before[w] + 1 for w in wallet_ids),
    )
    stored_class = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id))
    assert stored_class is not None and stored_class["programName"] == "Tea Card"
    for wallet_id in wallet_ids:
        assert len(google.notifications(wallet_id)) == notifications_before[wallet_id]

    # A cooldown is not something a wallet shows: nothing is redrawn.
    assert (
        owner.call("PATCH", f"/api/offers/{offer_id}", json={"minMinutesBetweenStamps": 5}).status_code == 200
    )
    eventually(local_stack, lambda: True)
    assert all(len(google.object_patches(w)) == patches_before[w] + 1 for w in wallet_ids)
