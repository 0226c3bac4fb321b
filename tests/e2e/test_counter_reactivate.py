"""Reactivating an expired pass at the counter, through the local gateway: the pass status says it is expired
before any tap, "Reactivate" brings it back for a stamp, the audit trail names who and where, the Google Wallet
object follows."""

from __future__ import annotations

import re
import uuid

import pytest

from loyalty.adapters.google.objects import object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_wallet_sync_google import settled
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually
from tests.support.weekly_job import expired_by_the_weekly_job

pytestmark = pytest.mark.e2e


def reactivate(counter: Counter, customer_id: str, offer_id: str, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return counter.call("POST", f"/api/branch-manager/reactivate/{customer_id}/{offer_id}", headers=headers)


@pytest.fixture
def expired(
    gateway: str, owner: Counter, manager: Counter, local_stack: LocalStack, google: GoogleWalletStandin
):
    """An offer "Coffee Card" and a customer with two stamps and a prize claimed, whose pass then expired:
    (customerId, offerId, Google object id)."""
    offer_id = owner.create_offer(stamps_required=2, name="Coffee Card")
    enrolled = enroll(gateway, offer_id, name="Layla")
    assert enrolled.status_code == 201, enrolled.text
    customer_id = enrolled.json()["customerId"]
    for _ in range(2):
        assert manager.scan(customer_id, offer_id).status_code == 200
    assert manager.confirm(customer_id, offer_id).status_code == 200
    assert manager.scan(customer_id, offer_id).status_code == 200
    wallet_id = object_id(LOCAL_ISSUER_ID, customer_id, offer_id)
    settled(local_stack, lambda: google.wallet_object(wallet_id) is not None)
    expired_by_the_weekly_job(local_stack, customer_id, offer_id)
    settled(local_stack, lambda: (google.wallet_object(wallet_id) or {}).get("state") == "EXPIRED")
    return customer_id, offer_id, wallet_id


def test_the_status_says_expired_before_any_tap_with_everything_the_pass_shows(
    manager: Counter, expired
) -> None:
    customer_id, offer_id, _ = expired
    status = manager.status(customer_id, offer_id)
    assert status.status_code == 200, status.text
    body = status.json()
    assert body["status"] == "EXPIRED"
    assert (body["name"], body["offerName"]) == ("Layla", "Coffee Card")
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}", body["shortCode"])
    refused = manager.scan(customer_id, offer_id)
    assert refused.status_code == 410 and refused.json()["error"]["code"] == "PASS_EXPIRED"


def test_reactivate_brings_it_back_at_zero_with_rewards_kept_and_an_event_naming_who_and_where(
    local_stack: LocalStack, google: GoogleWalletStandin, manager: Counter, expired
) -> None:
    customer_id, offer_id, wallet_id = expired
    response = reactivate(manager, customer_id, offer_id)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ACTIVE"
    assert (body["progress"]["currentStamps"], body["progress"]["rewardsClaimed"]) == (0, 1)
    assert body["lifetimeStamps"] == 3
    assert body["offerName"] == "Coffee Card"
    assert manager.status(customer_id, offer_id).json()["status"] == "ACTIVE"

    def latest() -> dict[str, object]:
        page = manager.call("GET", f"/api/branch-manager/passes/{customer_id}/{offer_id}/history")
        assert page.status_code == 200, page.text
        items: list[dict[str, object]] = page.json()["items"]
        return items[0] if items else {}

    event = eventually(latest, lambda e: e.get("kind") == "REACTIVATE")
    assert (event["actor"], event["branchId"], event["currentStamps"], event["rewardsClaimed"]) == (
        "manager-1",
        "branch-1",
        0,
        1,
    )
    # The wallets follow: the Google object is active again.
    settled(local_stack, lambda: (google.wallet_object(wallet_id) or {}).get("state") == "ACTIVE")
    # And the customer collects at once.
    assert manager.scan(customer_id, offer_id).status_code == 200


def test_an_active_pass_is_refused_and_a_retry_under_its_key_is_answered_the_same(
    manager: Counter, expired
) -> None:
    customer_id, offer_id, _ = expired
    key = uuid.uuid4().hex
    first = reactivate(manager, customer_id, offer_id, key)
    again = reactivate(manager, customer_id, offer_id, key)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert manager.scan(customer_id, offer_id).status_code == 200
    refused = reactivate(manager, customer_id, offer_id)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "PASS_ACTIVE"
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 1


def test_another_business_cannot_reactivate_and_a_customer_cannot_either(
    gateway: str, token, expired
) -> None:
    customer_id, offer_id, _ = expired
    stranger = Counter(gateway, token("manager", "biz_someoneelse000001", branch_id="branch-1"))
    assert reactivate(stranger, customer_id, offer_id).status_code in (403, 404)
    assert reactivate(Counter(gateway, "not-a-token"), customer_id, offer_id).status_code == 401
