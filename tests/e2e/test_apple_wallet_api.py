"""Apple Wallet through the local gateway, as a phone uses it: download, register, list, fetch, unregister."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from loyalty.storage.passes import PassStore
from loyalty.wallet.apple.links import apple_wallet_url
from loyalty.wallet.apple.updates import http_date
from loyalty.wallet.apple.wiring import default_notifier
from loyalty_local.apple_wallet_local import AppleWalletLocal
from loyalty_local.stack import LocalStack
from tests.support.counter import Counter, enroll
from tests.support.wallet_certs import openssl_verify

pytestmark = pytest.mark.e2e

DEVICE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture(scope="module")
def apple(local_stack: LocalStack) -> AppleWalletLocal:
    return next(addon for addon in local_stack.addons if isinstance(addon, AppleWalletLocal))


class Phone:
    """An iPhone holding one pass: what Wallet sends, to the webServiceURL the pass names."""

    def __init__(self, pass_json: dict[str, Any], device: str = DEVICE) -> None:
        self.base = pass_json["webServiceURL"]
        self.type = pass_json["passTypeIdentifier"]
        self.serial = pass_json["serialNumber"]
        self.auth = {"Authorization": f"ApplePass {pass_json['authenticationToken']}"}
        self.device = device

    def register(self, push_token: str, auth: dict[str, str] | None = None) -> requests.Response:
        return requests.post(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}/{self.serial}",
            json={"pushToken": push_token},
            headers=self.auth if auth is None else auth,
            timeout=30,
        )

    def unregister(self, auth: dict[str, str] | None = None) -> requests.Response:
        return requests.delete(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}/{self.serial}",
            headers=self.auth if auth is None else auth,
            timeout=30,
        )

    def updated(self, tag: str | None = None) -> requests.Response:
        params = {"passesUpdatedSince": tag} if tag else None
        return requests.get(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}", params=params, timeout=30
        )

    def latest(self, since: str | None = None, auth: dict[str, str] | None = None) -> requests.Response:
        headers = dict(self.auth if auth is None else auth)
        if since:
            headers["If-Modified-Since"] = since
        return requests.get(f"{self.base}/v1/passes/{self.type}/{self.serial}", headers=headers, timeout=30)


def _files(pkpass: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pkpass)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


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
    """What the enroll answer's `wallet.appleWalletUrl` is (built from the pass as enroll has it)."""
    card = PassStore(local_stack.client("dynamodb"), local_stack.config.table_name).get_pass(
        customer["customerId"], customer["offerId"]
    )
    assert card is not None
    return apple_wallet_url(
        f"{local_stack.base_url}/wallet/apple", card.customer_id, card.offer_id, card.auth_token
    )


def _download(local_stack: LocalStack, customer: dict[str, Any]) -> requests.Response:
    return requests.get(_wallet_link(local_stack, customer), timeout=30)


def test_the_link_downloads_a_signed_pass(
    local_stack: LocalStack, apple: AppleWalletLocal, customer: dict[str, Any], tmp_path: Path
) -> None:
    response = _download(local_stack, customer)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/vnd.apple.pkpass"
    assert "Last-Modified" in response.headers
    files = _files(response.content)
    verified = openssl_verify(files, apple.chain.root_pem, tmp_path)
    assert verified.returncode == 0, verified.stderr
    document = json.loads(files["pass.json"])
    assert document["serialNumber"] == customer["passSerial"]
    assert document["barcodes"][0]["message"] == customer["qrPayload"]
    assert document["webServiceURL"] == f"{local_stack.base_url}/wallet/apple"
    secondary = {f["key"]: f["value"] for f in document["storeCard"]["secondaryFields"]}
    assert secondary == {"progress": "0 of 5", "completed": "0x", "tier": "New member"}
    assert '"بطاقة القهوة"' in files["ar.lproj/pass.strings"].decode()


def test_the_link_needs_the_pass_token(local_stack: LocalStack, customer: dict[str, Any]) -> None:
    link = _wallet_link(local_stack, customer)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    assert requests.get(tampered, timeout=30).status_code == 401
    assert requests.get(link.split("?")[0], timeout=30).status_code == 401


def test_a_phone_registers_follows_changes_and_unregisters(
    local_stack: LocalStack, gateway: str, token, business_id: str, customer: dict[str, Any]
) -> None:
    phone = Phone(json.loads(_files(_download(local_stack, customer).content)["pass.json"]))

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
    shown = json.loads(_files(latest.content)["pass.json"])["storeCard"]["secondaryFields"][0]["value"]
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
    document = json.loads(_files(_download(local_stack, customer).content)["pass.json"])
    iphone, ipad = Phone(document), Phone(document, device="ipad" + DEVICE[4:])
    assert iphone.register("1" * 64).status_code == 201
    assert ipad.register("2" * 64).status_code == 201
    apple.apns.mark_dead("2" * 64)

    notifier = default_notifier()  # what the wallet sync uses, from the stack's settings and moto's secrets
    assert notifier is not None
    report = notifier.notify(customer["customerId"], customer["offerId"])

    assert (report.delivered, report.unregistered) == (1, 1)
    assert [p.topic for p in apple.apns.delivered("1" * 64)] == [document["passTypeIdentifier"]]
    assert ipad.updated().status_code == 204
    assert iphone.updated().status_code == 200
