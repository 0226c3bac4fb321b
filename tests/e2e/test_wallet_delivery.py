"""Delivery you can see, through the local gateway: a phone registers, a scan pushes it, it fetches the new pass,
and the owner sees each step on the member and in the offer's stats; the pass leaves the wallet and the counts
say so."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer(gateway: str, owner: Counter, offer_id: str) -> dict[str, Any]:
    response = enroll(gateway, offer_id, name="Jane")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def phone(customer: dict[str, Any]) -> Phone:
    download = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    assert download.status_code == 200
    return Phone(json.loads(pkpass_files(download.content)["pass.json"]), device=uuid.uuid4().hex)


def _wallet(owner: Counter, customer: dict[str, Any]) -> dict[str, Any]:
    answer = owner.call(
        "GET", f"/api/offers/{customer['offerId']}/customers", params={"q": customer["customerId"]}
    )
    assert answer.status_code == 200, answer.text
    [member] = answer.json()["items"]
    wallet: dict[str, Any] = member["wallet"]
    return wallet


def _counts(owner: Counter, offer_id: str) -> dict[str, int]:
    today = datetime.now(UTC).date().isoformat()
    answer = owner.call("GET", f"/api/offers/{offer_id}/stats", params={"from": today, "to": today})
    assert answer.status_code == 200, answer.text
    counts: dict[str, int] = answer.json()["wallets"]
    return counts


def test_a_scan_is_pushed_fetched_and_seen_by_the_owner(
    local_stack: LocalStack,
    apple: AppleWalletLocal,
    owner: Counter,
    manager: Counter,
    customer: dict[str, Any],
    phone: Phone,
) -> None:
    before = _wallet(owner, customer)
    assert before["apple"] == {
        "devices": 0,
        "lastPushAt": None,
        "lastPushResult": None,
        "lastFetchedAt": None,
        "upToDate": False,
    }
    assert before["google"]["saved"] is None

    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    assert _wallet(owner, customer)["apple"]["devices"] == 1
    installed = eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["appleInstalled"] >= 1)
    assert installed == {
        "appleInstalled": 1,
        "appleRemoved": 0,
        "googleSaved": 0,
        "googleRemoved": 0,
        "upToDate": 1,
    }

    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    pushed = eventually(
        lambda: _wallet(owner, customer)["apple"], lambda a: a["lastPushResult"] == "DELIVERED", timeout=20
    )
    assert pushed["upToDate"] is False  # pushed, not fetched yet
    assert pushed["lastFetchedAt"] is None
    assert len(apple.apns.delivered(push_token)) == 1
    # Google's object was patched with the stamp too, and the result kept.
    google = eventually(
        lambda: _wallet(owner, customer)["google"], lambda g: g["lastUpdateResult"] is not None
    )
    assert google["lastUpdateResult"] == "OK"
    stale = eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["upToDate"] == 0)
    assert stale["appleInstalled"] == 1

    [latest] = phone.answer_push()
    assert latest.status_code == 200
    fetched = _wallet(owner, customer)["apple"]
    assert fetched["upToDate"] is True
    assert fetched["lastFetchedAt"] is not None and fetched["lastFetchedAt"] >= pushed["lastPushAt"]
    assert (
        eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["upToDate"] == 1)["upToDate"] == 1
    )


def test_of_two_devices_told_of_the_change_one_fetches(
    apple: AppleWalletLocal, owner: Counter, manager: Counter, customer: dict[str, Any], phone: Phone
) -> None:
    """Fetched is counted per device: the phone that asked what changed and downloaded it counts, the iPad that
    was pushed but has not asked yet does not, and the phone downloading again is not a second device."""
    ipad = Phone(phone.pass_json, device=uuid.uuid4().hex)
    tokens = [uuid.uuid4().hex * 2, uuid.uuid4().hex * 2]
    assert phone.register(tokens[0]).status_code == 201
    assert ipad.register(tokens[1]).status_code == 201
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    pushed = eventually(
        lambda: _wallet(owner, customer)["apple"], lambda a: a["lastPushResult"] == "DELIVERED", timeout=20
    )
    assert pushed["devices"] == 2
    assert all(len(apple.apns.delivered(token)) == 1 for token in tokens)

    assert [fetch.status_code for fetch in phone.answer_push()] == [200]
    assert phone.latest().status_code == 200  # the same phone again: no second device
    one = _wallet(owner, customer)["apple"]
    assert one["lastFetchedAt"] is not None
    assert one["upToDate"] is False  # 1 of 2 devices holds the stamp
    assert (
        eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["appleInstalled"] == 1)[
            "upToDate"
        ]
        == 0
    )

    assert [fetch.status_code for fetch in ipad.answer_push()] == [200]
    assert _wallet(owner, customer)["apple"]["upToDate"] is True
    assert (
        eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["upToDate"] == 1)["upToDate"] == 1
    )
    # Asked again with its tag, nothing changed: the iPad downloads nothing.
    assert ipad.answer_push() == []


def test_a_pass_that_leaves_the_wallet_is_counted_removed(
    apple: AppleWalletLocal, owner: Counter, manager: Counter, customer: dict[str, Any], phone: Phone
) -> None:
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["appleInstalled"] == 1)

    assert phone.unregister().status_code == 200
    assert _wallet(owner, customer)["apple"]["devices"] == 0
    counts = eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["appleRemoved"] == 1)
    assert counts == {
        "appleInstalled": 0,
        "appleRemoved": 1,
        "googleSaved": 0,
        "googleRemoved": 0,
        "upToDate": 0,
    }
    # Unregistering again changes nothing, and is not counted twice.
    assert phone.unregister().status_code == 200
    assert _wallet(owner, customer)["apple"]["devices"] == 0
    # The pass's next change is not pushed to the phone it left (APNs would answer that token 410 by now).
    apple.apns.mark_dead(push_token)
    before = _wallet(owner, customer)["google"]["lastUpdateAt"]
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    eventually(
        lambda: _wallet(owner, customer)["google"]["lastUpdateAt"], lambda at: at != before, timeout=20
    )
    assert apple.apns.received(push_token) == []


def test_apns_410_drops_the_registration_and_says_so(
    apple: AppleWalletLocal, owner: Counter, manager: Counter, customer: dict[str, Any], phone: Phone
) -> None:
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    # The pass was deleted on a phone that never told us: APNs answers its token 410 Unregistered.
    apple.apns.mark_dead(push_token)
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200

    dropped = eventually(
        lambda: _wallet(owner, customer)["apple"], lambda a: a["lastPushResult"] == "UNREGISTERED", timeout=20
    )
    assert dropped["devices"] == 0
    assert dropped["upToDate"] is False
    assert [(p.status, p.reason) for p in apple.apns.received(push_token)] == [(410, "Unregistered")]
    counts = eventually(lambda: _counts(owner, customer["offerId"]), lambda c: c["appleRemoved"] == 1)
    assert counts["appleInstalled"] == 0
