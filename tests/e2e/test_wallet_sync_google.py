"""Google Wallet follows the scanner: the table's stream, the wallet-sync function as template.yaml subscribes
it, and the Google Wallet stand-in, all as `make run` starts them. The scanner never waits for any of it."""

from __future__ import annotations

import time
from collections.abc import Callable

import jwt
import pytest

from loyalty import bootstrap
from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.adapters.google.objects import object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import (
    LOCAL_ISSUER_ID,
    GoogleWalletStandin,
    RecordedRequest,
)
from tests.support.counter import Counter, enroll
from tests.support.weekly_job import expired_by_the_weekly_job

pytestmark = pytest.mark.e2e


@pytest.fixture
def pass_(gateway: str, token, business_id: str, local_stack: LocalStack, google: GoogleWalletStandin):
    """A fresh offer and an enrolled customer whose Google Wallet object exists: (customerId, offerId, objectId)."""
    offer_id = Counter(gateway, token("owner", business_id)).create_offer(stamps_required=5)
    enrolled = enroll(gateway, offer_id)
    assert enrolled.status_code == 201, enrolled.text
    customer_id = enrolled.json()["customerId"]
    wallet_id = object_id(LOCAL_ISSUER_ID, customer_id, offer_id)
    settled(local_stack, lambda: google.wallet_object(wallet_id) is not None)
    return customer_id, offer_id, wallet_id


def settled(stack: LocalStack, condition: Callable[[], bool], within: float = 20.0) -> None:
    """Wait until the stream has carried the change through (condition true), then until nothing more flows."""
    assert stack.poller is not None
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the wallet never saw the change"
        time.sleep(0.05)
    assert stack.poller.wait_idle(within)
    assert stack.poller.wait_idle(within)


def successful_patches(google: GoogleWalletStandin, wallet_id: str) -> list[RecordedRequest]:
    return [patch for patch in google.object_patches(wallet_id) if patch.status == 200]


def module_bodies(google: GoogleWalletStandin, wallet_id: str) -> dict[str, str]:
    stored = google.wallet_object(wallet_id)
    assert stored is not None
    return {module["id"]: module["body"] for module in stored["textModulesData"]}


def test_the_class_and_object_exist_before_the_enroll_answer_leaves(
    gateway: str, token, business_id: str, google: GoogleWalletStandin
) -> None:
    offer_id = Counter(gateway, token("owner", business_id)).create_offer(stamps_required=5)
    enrolled = enroll(gateway, offer_id)
    assert enrolled.status_code == 201, enrolled.text
    # No waiting for the stream: a customer may tap the save link the moment it arrives.
    wallet_id = object_id(LOCAL_ISSUER_ID, enrolled.json()["customerId"], offer_id)
    stored = google.wallet_object(wallet_id)
    assert stored is not None
    assert google.wallet_class(stored["classId"]) is not None
    link = enrolled.json()["wallet"]["googleWalletSaveUrl"]
    (saved,) = jwt.decode(link.rpartition("/")[2], options={"verify_signature": False})["payload"][
        "loyaltyObjects"
    ]
    assert saved == {"id": wallet_id, "classId": stored["classId"]}


def test_enrollment_creates_the_class_and_the_object(google: GoogleWalletStandin, pass_) -> None:
    customer_id, offer_id, wallet_id = pass_
    stored = google.wallet_object(wallet_id)
    assert stored["classId"] == f"{LOCAL_ISSUER_ID}.{offer_id}"
    assert stored["state"] == "ACTIVE"
    assert stored["barcode"]["type"] == "QR_CODE" and customer_id in stored["barcode"]["value"]
    assert google.wallet_class(f"{LOCAL_ISSUER_ID}.{offer_id}")["programName"] == "Coffee Card"
    assert google.object_patches(wallet_id) == []


def test_a_scan_makes_exactly_one_google_patch(
    local_stack: LocalStack, google: GoogleWalletStandin, manager: Counter, pass_
) -> None:
    customer_id, offer_id, wallet_id = pass_
    assert manager.scan(customer_id, offer_id).status_code == 200
    settled(local_stack, lambda: len(google.object_patches(wallet_id)) >= 1)
    (patch,) = google.object_patches(wallet_id)
    assert patch.status == 200
    assert "notifyPreference" not in patch.body
    assert module_bodies(google, wallet_id)["progress"] == "1 of 5"
    assert google.notifications(wallet_id) == []


def test_a_tier_change_patches_and_notifies_with_a_message(
    local_stack: LocalStack, google: GoogleWalletStandin, manager: Counter, pass_
) -> None:
    customer_id, offer_id, wallet_id = pass_
    for _ in range(5):
        assert manager.scan(customer_id, offer_id).status_code == 200
    confirmed = manager.confirm(customer_id, offer_id)
    assert confirmed.status_code == 200, confirmed.text
    settled(local_stack, lambda: len(successful_patches(google, wallet_id)) >= 6)
    patches = successful_patches(google, wallet_id)
    assert [p.body.get("notifyPreference") for p in patches] == [None] * 6
    stored = google.wallet_object(wallet_id)
    assert [m["body"] for m in stored["messages"]] == ["You are now 🥉 Bronze Member"]
    assert stored["loyaltyPoints"]["balance"]["int"] == 1
    assert module_bodies(google, wallet_id)["member_status"] == "🥉 Bronze Member"
    assert module_bodies(google, wallet_id)["progress"] == "0 of 5"
    assert len(google.notifications(wallet_id)) == 1


def test_expiry_sets_the_object_expired(local_stack: LocalStack, google: GoogleWalletStandin, pass_) -> None:
    customer_id, offer_id, wallet_id = pass_
    expired_by_the_weekly_job(local_stack, customer_id, offer_id)
    settled(local_stack, lambda: google.wallet_object(wallet_id)["state"] == "EXPIRED")
    (patch,) = google.object_patches(wallet_id)
    assert patch.body["state"] == "EXPIRED"


def test_a_failing_google_call_is_retried_and_the_scanner_never_waits(
    local_stack: LocalStack, google: GoogleWalletStandin, manager: Counter, pass_
) -> None:
    customer_id, offer_id, wallet_id = pass_
    google.fail_next("PATCH", wallet_id, status=503, times=2)
    scanned = manager.scan(customer_id, offer_id)
    assert scanned.status_code == 200
    assert scanned.json()["progress"]["currentStamps"] == 1
    settled(local_stack, lambda: len(successful_patches(google, wallet_id)) >= 1)
    assert [patch.status for patch in google.object_patches(wallet_id)] == [503, 503, 200]
    assert module_bodies(google, wallet_id)["progress"] == "1 of 5"


def test_the_save_link_names_the_object_the_stream_inserted(
    local_stack: LocalStack, google: GoogleWalletStandin, pass_
) -> None:
    customer_id, offer_id, wallet_id = pass_
    pass_item = local_stack.client("dynamodb").get_item(
        TableName=local_stack.config.table_name,
        Key={name: {"S": value} for name, value in keys.pass_key(customer_id, offer_id).items()},
    )["Item"]
    links = bootstrap.wallet_links(pass_from_plain(from_item(pass_item)))
    url = links["googleWalletSaveUrl"] if links else None
    assert url is not None
    assert url.startswith("https://pay.google.com/gp/v/save/")
    token = url.rsplit("/", 1)[1]
    signer = jwt.decode(token, options={"verify_signature": False})["iss"]
    public_key = google.public_key(signer)
    assert public_key is not None, "signed by a service account the stand-in does not know"
    claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="google")
    assert claims["typ"] == "savetowallet"
    class_id = f"{LOCAL_ISSUER_ID}.{offer_id}"
    assert claims["payload"] == {"loyaltyObjects": [{"id": wallet_id, "classId": class_id}]}
