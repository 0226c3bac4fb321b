"""What became of a campaign, through the local gateway, the campaign queue and the table's stream: an Apple
device that fetches the pass after the campaign's push counts `fetched` (once for one device however often it
fetches), and the recipient's first visit within 14 days counts `wonBack` once, on the campaign and in the offer's
stats."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from loyalty_local.standins.apple_wallet import AppleWalletLocal
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.e2e


def _campaign(owner: Counter, offer_id: str, campaign_id: str) -> dict[str, Any]:
    answer = owner.call("GET", f"/api/offers/{offer_id}/campaigns/{campaign_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _won_back_today(owner: Counter, offer_id: str) -> int:
    today = datetime.now(UTC).date().isoformat()
    answer = owner.call("GET", f"/api/offers/{offer_id}/stats", params={"from": today, "to": today})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["totals"]["wonBack"])


def test_a_campaign_is_fetched_by_the_device_and_wins_its_recipient_back(
    apple: AppleWalletLocal, owner: Counter, manager: Counter, gateway: str, offer_id: str
) -> None:
    customer = enroll(gateway, offer_id, marketingConsent=True).json()
    download = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    assert download.status_code == 200
    phone = Phone(json.loads(pkpass_files(download.content)["pass.json"]), device=uuid.uuid4().hex)
    push_token = uuid.uuid4().hex * 2
    assert phone.register(push_token).status_code == 201

    made = owner.call(
        "POST",
        f"/api/offers/{offer_id}/campaigns",
        json={
            "message": "Free coffee today",
            "messageAr": "قهوة مجانية اليوم",
            "audience": {"segment": "ALL"},
        },
    )
    assert made.status_code == 202, made.text
    campaign_id = made.json()["campaignId"]
    reached = eventually(
        lambda: _campaign(owner, offer_id, campaign_id), lambda c: c["counts"]["delivered"] == 1, timeout=60
    )
    assert reached["counts"]["fetched"] == 0  # pushed, not fetched yet
    assert apple.apns.delivered(push_token)

    # The phone answers the push: it asks what changed and downloads the pass, now showing the message.
    [latest] = phone.answer_push()
    assert latest.status_code == 200
    news = json.loads(pkpass_files(latest.content)["pass.json"])["storeCard"]["backFields"]
    assert any(f["key"] == "news" and "Free coffee today" in f["value"] for f in news)
    assert _campaign(owner, offer_id, campaign_id)["counts"]["fetched"] == 1
    # The same single device fetching again is not a second device that fetched.
    assert phone.latest().status_code in (200, 304)
    assert _campaign(owner, offer_id, campaign_id)["counts"]["fetched"] == 1

    assert _won_back_today(owner, offer_id) == 0
    assert manager.scan(customer["customerId"], offer_id).status_code == 200
    won = eventually(
        lambda: _campaign(owner, offer_id, campaign_id), lambda c: c["counts"]["wonBack"] == 1, timeout=30
    )
    assert won["counts"]["wonBack"] == 1
    assert eventually(lambda: _won_back_today(owner, offer_id), lambda n: n == 1, timeout=30) == 1

    # The next visit is no second win: the stats' stamps move on, the wins do not.
    assert manager.scan(customer["customerId"], offer_id).status_code == 200
    today = datetime.now(UTC).date().isoformat()
    eventually(
        lambda: owner.call(
            "GET", f"/api/offers/{offer_id}/stats", params={"from": today, "to": today}
        ).json()["totals"]["stamps"],
        lambda n: n == 2,
        timeout=30,
    )
    assert _campaign(owner, offer_id, campaign_id)["counts"]["wonBack"] == 1
    assert _won_back_today(owner, offer_id) == 1


def test_a_download_by_no_registered_device_is_not_fetched(
    owner: Counter, gateway: str, offer_id: str
) -> None:
    """A pass without a device: the campaign reaches it, yet nothing fetched it after a push."""
    customer = enroll(gateway, offer_id, marketingConsent=True).json()
    made = owner.call(
        "POST",
        f"/api/offers/{offer_id}/campaigns",
        json={"message": "Quiet week", "messageAr": "أسبوع هادئ", "audience": {"segment": "ALL"}},
    )
    assert made.status_code == 202, made.text
    campaign_id = made.json()["campaignId"]
    eventually(
        lambda: _campaign(owner, offer_id, campaign_id), lambda c: c["counts"]["sent"] == 1, timeout=60
    )
    download = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    phone = Phone(json.loads(pkpass_files(download.content)["pass.json"]), device=uuid.uuid4().hex)
    assert phone.latest().status_code == 200
    assert _campaign(owner, offer_id, campaign_id)["counts"]["fetched"] == 0
