"""Apple Wallet through the local gateway, as a phone uses it: download, register, list, fetch, unregister."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from loyalty import bootstrap
from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePass
from loyalty.app.wallets.apple_updates import http_date
from loyalty.domain.expiry import activity_week
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from tests.support.counter import Counter, enroll
from tests.support.phone import DEVICE, Phone, pkpass_files
from tests.support.wallet_certs import openssl_verify

pytestmark = pytest.mark.e2e


@pytest.fixture
def counter(gateway: str, token, business_id: str) -> Counter:
    return Counter(gateway, token("owner", business_id))


@pytest.fixture
def customer(gateway: str, counter: Counter) -> dict[str, Any]:
    offer_id = counter.create_offer(stamps_required=5, nameAr="بطاقة القهوة")
    response = enroll(gateway, offer_id, name="Jane")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _wallet_link(local_stack: LocalStack, customer: dict[str, Any]) -> str:
    """The enroll answer's `wallet.appleWalletUrl`: under the Apple Wallet function's own URL, not the gateway."""
    link = str(customer["wallet"]["appleWalletUrl"])
    assert "/wallet/apple/download/" + customer["customerId"] + "/" in link
    assert not link.startswith(local_stack.base_url)
    return link


def _download(local_stack: LocalStack, customer: dict[str, Any]) -> requests.Response:
    return requests.get(_wallet_link(local_stack, customer), timeout=30)


def test_the_link_downloads_a_signed_pass(
    local_stack: LocalStack,
    apple: AppleWalletLocal,
    apple_web_service: str,
    customer: dict[str, Any],
    tmp_path: Path,
) -> None:
    response = _download(local_stack, customer)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/vnd.apple.pkpass"
    assert "Last-Modified" in response.headers
    files = pkpass_files(response.content)
    verified = openssl_verify(files, apple.chain.root_pem, tmp_path)
    assert verified.returncode == 0, verified.stderr
    document = json.loads(files["pass.json"])
    assert document["serialNumber"] == customer["passSerial"]
    assert document["barcodes"][0]["message"] == customer["qrPayload"]
    assert document["webServiceURL"] == apple_web_service
    secondary = {f["key"]: f["value"] for f in document["storeCard"]["secondaryFields"]}
    assert secondary == {"progress": "0 of 5", "completed": "0x", "tier": "New member"}
    # The Arabic pass names the offer in Arabic (inside its description, "بطاقة طوابع …").
    assert "بطاقة القهوة" in files["ar.lproj/pass.strings"].decode()


def test_the_link_needs_the_pass_token(local_stack: LocalStack, customer: dict[str, Any]) -> None:
    link = _wallet_link(local_stack, customer)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert requests.get(tampered, timeout=30).status_code == 401
    assert requests.get(link.split("?")[0], timeout=30).status_code == 401


def test_a_phone_registers_follows_changes_and_unregisters(
    local_stack: LocalStack, gateway: str, token, business_id: str, customer: dict[str, Any]
) -> None:
    phone = Phone(json.loads(pkpass_files(_download(local_stack, customer).content)["pass.json"]))

    assert phone.register("a" * 64).status_code == 201
    assert phone.register("a" * 64).status_code == 200
    assert phone.register("a" * 64, auth={}).status_code == 401
    assert (
        phone.register("a" * 64, auth={"Authorization": "ApplePass not-this-pass-token"}).status_code == 401
    )
    garbled = requests.post(
        f"{phone.base}/v1/devices/{phone.device}/registrations/{phone.type}/{phone.serial}",
        data="{",
        headers=phone.auth,
        timeout=30,
    )
    assert garbled.status_code == 400

    listed = phone.updated()
    assert listed.status_code == 200
    assert listed.json()["serialNumbers"] == [phone.serial]
    tag = listed.json()["lastUpdated"]
    assert phone.updated(tag).status_code == 204

    manager = Counter(gateway, token("manager", business_id, branch_id="branch-1"))
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200

    changed = phone.updated(tag)
    assert changed.status_code == 200
    assert changed.json()["serialNumbers"] == [phone.serial]
    latest = phone.latest()
    assert latest.status_code == 200
    shown = json.loads(pkpass_files(latest.content)["pass.json"])["storeCard"]["secondaryFields"][0]["value"]
    assert shown == "1 of 5"
    assert phone.latest(auth={}).status_code == 401
    current = http_date(datetime.now(UTC) + timedelta(minutes=1))
    not_modified = phone.latest(since=current)
    assert not_modified.status_code == 304
    assert not_modified.content == b""

    assert phone.unregister(auth={}).status_code == 401
    assert phone.unregister().status_code == 200
    assert phone.updated().status_code == 204


def test_device_logs_are_accepted(gateway: str) -> None:
    response = requests.post(
        f"{gateway}/wallet/apple/v1/log", json={"logs": ["Invalid pass: signature expired"]}, timeout=30
    )
    assert response.status_code == 200
    assert requests.post(f"{gateway}/wallet/apple/v1/log", data="{", timeout=30).status_code == 400


def test_a_changed_pass_is_pushed_to_each_registered_phone(
    local_stack: LocalStack, apple: AppleWalletLocal, customer: dict[str, Any]
) -> None:
    document = json.loads(pkpass_files(_download(local_stack, customer).content)["pass.json"])
    iphone, ipad = Phone(document), Phone(document, device="ipad" + DEVICE[4:])
    assert iphone.register("1" * 64).status_code == 201
    assert ipad.register("2" * 64).status_code == 201
    apple.apns.mark_dead("2" * 64)

    notifier = (
        bootstrap.apple_notifier()
    )  # what the wallet sync uses, from the stack's settings and moto's secrets
    assert notifier is not None
    report = notifier.notify(customer["customerId"], customer["offerId"])

    assert (report.delivered, report.unregistered) == (1, 1)
    assert [p.topic for p in apple.apns.delivered("1" * 64)] == [document["passTypeIdentifier"]]
    assert ipad.updated().status_code == 204
    assert iphone.updated().status_code == 200


# ---------------------------------------------------------------- pushes driven by the table's stream


def _quiet(stack: LocalStack, condition: Callable[[], bool], within: float = 20.0) -> None:
    """Wait until the stream carried the change to APNs (condition true) and nothing more is flowing."""
    assert stack.poller is not None
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "the push never came"
        time.sleep(0.05)
    assert stack.poller.wait_idle(within)
    assert stack.poller.wait_idle(within)


def _push_token() -> str:
    return uuid.uuid4().hex * 2


@pytest.fixture
def phones(local_stack: LocalStack, customer: dict[str, Any]) -> tuple[Phone, Phone, str, str]:
    """An iPhone and a Watch holding the customer's pass, each registered with its own push token."""
    document = json.loads(pkpass_files(_download(local_stack, customer).content)["pass.json"])
    iphone = Phone(document, device=uuid.uuid4().hex)
    watch = Phone(document, device=uuid.uuid4().hex)
    iphone_token, watch_token = _push_token(), _push_token()
    assert iphone.register(iphone_token).status_code == 201
    assert watch.register(watch_token).status_code == 201
    assert local_stack.poller is not None
    assert local_stack.poller.wait_idle(20)
    return iphone, watch, iphone_token, watch_token


def test_a_scan_pushes_exactly_once_to_each_registered_phone(
    local_stack: LocalStack, apple: AppleWalletLocal, manager: Counter, customer: dict[str, Any], phones
) -> None:
    iphone, _, iphone_token, watch_token = phones
    tag = iphone.updated().json()["lastUpdated"]
    assert apple.apns.delivered(iphone_token) == []

    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    _quiet(
        local_stack, lambda: bool(apple.apns.delivered(iphone_token) and apple.apns.delivered(watch_token))
    )

    assert len(apple.apns.delivered(iphone_token)) == 1
    assert len(apple.apns.delivered(watch_token)) == 1
    # What the phone then does: ask what changed, fetch it.
    assert iphone.updated(tag).json()["serialNumbers"] == [iphone.serial]
    secondary = json.loads(pkpass_files(iphone.latest().content)["pass.json"])["storeCard"]["secondaryFields"]
    assert secondary[0]["value"] == "1 of 5"


def test_a_phone_apns_calls_dead_is_forgotten(
    local_stack: LocalStack, apple: AppleWalletLocal, manager: Counter, customer: dict[str, Any], phones
) -> None:
    iphone, watch, iphone_token, watch_token = phones
    apple.apns.mark_dead(watch_token)
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    _quiet(local_stack, lambda: bool(apple.apns.delivered(iphone_token)))
    assert watch.updated().status_code == 204
    assert iphone.updated().status_code == 200
    assert manager.scan(customer["customerId"], customer["offerId"]).status_code == 200
    _quiet(local_stack, lambda: len(apple.apns.delivered(iphone_token)) == 2)
    assert [p.device_token for p in apple.apns.pushes].count(watch_token) == 1


def test_an_apns_outage_is_retried_and_the_scanner_never_waits(
    local_stack: LocalStack, apple: AppleWalletLocal, manager: Counter, customer: dict[str, Any], phones
) -> None:
    _, _, iphone_token, watch_token = phones
    apple.apns.fail_next(2, 503, "ServiceUnavailable")
    scanned = manager.scan(customer["customerId"], customer["offerId"])
    assert scanned.status_code == 200
    assert scanned.json()["progress"]["currentStamps"] == 1
    _quiet(
        local_stack, lambda: bool(apple.apns.delivered(iphone_token) and apple.apns.delivered(watch_token))
    )
    assert len(apple.apns.delivered(iphone_token)) == 1
    assert len(apple.apns.delivered(watch_token)) == 1
    refused = [
        p for p in apple.apns.pushes if p.device_token in (iphone_token, watch_token) and p.status == 503
    ]
    assert len(refused) == 2


def test_expiry_reaches_the_phone_as_an_expired_pass(
    local_stack: LocalStack, apple: AppleWalletLocal, customer: dict[str, Any], phones
) -> None:
    iphone, _, iphone_token, _ = phones
    client = local_stack.client("dynamodb")
    table = local_stack.config.table_name
    pass_ = DynamoPassStore(client, table).get_pass(customer["customerId"], customer["offerId"])
    assert pass_ is not None
    # The weekly job's own write for this pass, as if it had been idle past the cutoff.
    idle = IdlePass(pass_.customer_id, pass_.offer_id, activity_week(pass_.last_activity_at))
    assert ActivityIndex(client, table).expire(
        idle, "2099-01-01T00:00:00.000Z", "2099-01-01T00:00:00.000Z"
    ) is (ExpiryOutcome.EXPIRED)
    _quiet(local_stack, lambda: bool(apple.apns.delivered(iphone_token)))
    document = json.loads(pkpass_files(iphone.latest().content)["pass.json"])
    assert document["expirationDate"] == "2099-01-01T00:00:00Z"
    assert document["storeCard"]["headerFields"][0]["value"].startswith("Expired")
