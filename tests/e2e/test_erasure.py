"""Erasing a customer through the local gateway: afterwards no item of the table holds their email or name,
their wallets are taken down, the stats keep their counts, and the same email may join again as someone new."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from loyalty.adapters.google.objects import object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.support.counter import Counter, enroll
from tests.support.eventually import at_least, eventually
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


def settled(stack: LocalStack, condition: Callable[[], bool], within: float = 30.0) -> None:
    assert stack.poller is not None
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the stream never carried the change"
        time.sleep(0.05)
    assert stack.poller.wait_idle(within)


def every_item(stack: LocalStack) -> list[dict[str, Any]]:
    client = stack.client("dynamodb")
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=stack.config.table_name, ConsistentRead=True):
        items.extend(page["Items"])
    return items


def test_erasure_leaves_nothing_personal_and_keeps_the_counts(
    local_stack: LocalStack, gateway: str, owner: Counter, manager: Counter
) -> None:
    apple = next(a for a in local_stack.addons if isinstance(a, AppleWalletLocal))
    google = next(a for a in local_stack.addons if isinstance(a, GoogleWalletStandin))
    name = f"Zelda Quux {uuid.uuid4().hex[:8]}"
    email = f"zelda.{uuid.uuid4().hex[:8]}@example.com"
    coffee, bagels = owner.create_offer(stamps_required=1), owner.create_offer(stamps_required=3)
    joined = enroll(gateway, coffee, email=email, name=name, headers={"Idempotency-Key": uuid.uuid4().hex})
    assert joined.status_code == 201, joined.text
    customer = joined.json()["customerId"]
    assert enroll(gateway, bagels, email=email, name=name).status_code == 201
    manager.scan(customer, coffee)
    prize = manager.confirm(customer, coffee).json()  # into bronze: a credential issuance starts
    assert prize["credentialIssuance"]["issuanceId"].startswith("iss_")
    manager.scan(customer, bagels)
    credentials = owner.call("GET", f"/api/customers/{customer}/credentials")
    assert credentials.status_code == 200, credentials.text
    assert [i["issuanceId"] for i in credentials.json()["items"]] == [
        prize["credentialIssuance"]["issuanceId"]
    ]

    # A phone holds the coffee pass; Google holds both objects.
    document = json.loads(
        pkpass_files(requests.get(joined.json()["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    phone, push_token = Phone(document, device=uuid.uuid4().hex), uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201
    wallet_id = object_id(LOCAL_ISSUER_ID, customer, coffee)
    settled(local_stack, lambda: google.wallet_object(wallet_id) is not None)
    day = datetime.now(UTC).date().isoformat()

    def coffee_stats() -> dict[str, Any]:
        answer = owner.call("GET", f"/api/offers/{coffee}/stats", params={"from": day, "to": day})
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    # The enrollment, the stamp and the prize are counted by the table stream a moment after they answered.
    counted = {"enrollments": 1, "stamps": 1, "prizes": 1, "tierUpgrades": 1}
    before = eventually(coffee_stats, lambda body: at_least(counted)(body["totals"]))
    assert {name: before["totals"][name] for name in counted} == counted
    pushes_before = len(apple.apns.delivered(push_token))

    # Someone types the email again: a recovery mail is sent and counted by the throttles.
    assert enroll(gateway, coffee, email=email, name=name).status_code == 202
    assert owner.call("DELETE", f"/api/customers/{customer}").status_code == 204

    # The wallets come down: Google's object is INACTIVE, the phone is pushed and fetches a voided pass, and
    # with that its registration is dropped.
    settled(local_stack, lambda: google.wallet_object(wallet_id)["state"] == "INACTIVE")
    settled(local_stack, lambda: len(apple.apns.delivered(push_token)) > pushes_before)
    assert phone.updated().status_code == 200
    voided = json.loads(pkpass_files(phone.latest().content)["pass.json"])
    assert voided["voided"] is True
    assert phone.updated().status_code == 204, "the registration was dropped"

    # No item of the table holds the email or the name (customer record, passes, events, issuances,
    # idempotency answers, wallet items); the history keeps one ERASE event.
    def erase_events(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [i for i in items if i.get("kind", {}).get("S") == "ERASE" and customer in i["PK"]["S"]]

    # The ERASE events are written by the table stream a moment after the erasure answered.
    items = eventually(lambda: every_item(local_stack), lambda items: len(erase_events(items)) >= 2)
    text = json.dumps(items, ensure_ascii=False).lower()
    assert email.lower() not in text and name.lower() not in text
    assert email.split("@")[0] not in text
    # Nor a digest of the email (a throttle counter keyed on its SHA-256 would outlive the erasure).
    assert hashlib.sha256(email.lower().encode()).hexdigest()[:32] not in text
    assert len(erase_events(items)) == 2  # one per pass

    # The pass routes and the credentials are 404; the stats keep every count, the members drop them.
    for path in (
        f"/api/branch-manager/passes/{customer}/{coffee}",
        f"/api/branch-manager/passes/{customer}/{coffee}/history",
        f"/api/customers/{customer}/credentials",
    ):
        assert owner.call("GET", path).status_code == 404, path
    assert manager.scan(customer, bagels).status_code == 404
    assert owner.call("DELETE", f"/api/customers/{customer}").status_code == 404
    after = coffee_stats()
    assert after["totals"] == before["totals"]
    assert (before["members"]["active"], after["members"]["active"]) == (1, 0)
    assert owner.call("GET", f"/api/offers/{coffee}/customers").json()["items"] == []

    # The same email joins again, as a new customer.
    again = enroll(gateway, coffee, email=email, name=name)
    assert again.status_code == 201, again.text
    assert again.json()["customerId"] != customer
    assert again.json()["progress"]["rewardsClaimed"] == 0


def test_only_the_owner_of_the_business_erases(gateway: str, token, owner: Counter, manager: Counter) -> None:
    offer_id = owner.create_offer()
    customer = enroll(gateway, offer_id).json()["customerId"]
    assert manager.call("DELETE", f"/api/customers/{customer}").status_code == 403
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    assert stranger.call("DELETE", f"/api/customers/{customer}").status_code == 404
    assert stranger.call("GET", f"/api/customers/{customer}/credentials").status_code == 404
    assert owner.call("DELETE", "/api/customers/not-an-id").status_code == 404
    assert manager.status(customer, offer_id).status_code == 200
