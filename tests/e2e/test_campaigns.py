"""Campaigns through the local gateway, the campaign queue and its worker as template.yaml wires them, and the
wallet stand-ins: an owner sends a bilingual message, the members who said yes get it once in their language on
Google (a notifying message) and on the Apple pass's back, and bad requests are refused with nothing sent."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from loyalty.adapters.google.objects import object_id
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e

ENGLISH = "Double stamps this weekend"
ARABIC = "طوابع مضاعفة هذا الأسبوع"


def draft(**changes: Any) -> dict[str, Any]:
    return {"message": ENGLISH, "messageAr": ARABIC, "audience": {"segment": "ALL"}, **changes}


def send(owner: Counter, offer_id: str, body: dict[str, Any], key: str | None = None) -> requests.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return owner.call("POST", f"/api/offers/{offer_id}/campaigns", json=body, headers=headers)


def campaign(owner: Counter, offer_id: str, campaign_id: str) -> dict[str, Any]:
    answer = owner.call("GET", f"/api/offers/{offer_id}/campaigns/{campaign_id}")
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def messages(google: GoogleWalletStandin, customer_id: str, offer_id: str) -> list[dict[str, Any]]:
    stored = google.wallet_object(object_id(LOCAL_ISSUER_ID, customer_id, offer_id)) or {}
    return list(stored.get("messages", []))


def test_an_owner_sends_a_bilingual_campaign_and_sees_it_arrive(
    gateway: str, owner: Counter, offer_id: str, google: GoogleWalletStandin
) -> None:
    english = enroll(gateway, offer_id, marketingConsent=True).json()
    arabic = enroll(gateway, offer_id, marketingConsent=True, preferredLanguage="ar").json()
    silent = enroll(gateway, offer_id).json()

    size = owner.call("GET", f"/api/offers/{offer_id}/campaign-audience", params={"segment": "ALL"})
    assert size.status_code == 200, size.text
    assert size.json() == {"audienceSize": 3}

    made = send(owner, offer_id, draft(), key="spring-1")
    assert made.status_code == 202, made.text
    body = made.json()
    assert body["status"] == "SENDING" and body["audienceSize"] == 3
    assert body["counts"] == {
        "sent": 0,
        "delivered": 0,
        "fetched": 0,
        "deferred": 0,
        "failed": 0,
        "wonBack": 0,
    }
    # Pressed twice: the same campaign, nothing more sent.
    assert send(owner, offer_id, draft(), key="spring-1").json() == body

    arrived = eventually(
        lambda: campaign(owner, offer_id, body["campaignId"]),
        lambda c: c["counts"]["delivered"] >= 2 and c["status"] == "SENT",
        timeout=60,
    )
    assert arrived["counts"]["sent"] == 2 and arrived["counts"]["delivered"] == 2
    assert arrived["counts"]["failed"] == 0 and arrived["counts"]["deferred"] == 0
    assert [m["body"] for m in messages(google, english["customerId"], offer_id)] == [ENGLISH]
    assert [m["messageType"] for m in messages(google, english["customerId"], offer_id)] == [
        "TEXT_AND_NOTIFY"
    ]
    assert [m["body"] for m in messages(google, arabic["customerId"], offer_id)] == [ARABIC]
    assert messages(google, silent["customerId"], offer_id) == []

    # The Apple pass's back now shows the message, announced on the lock screen by its changeMessage.
    document = json.loads(
        pkpass_files(requests.get(english["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    (news,) = [f for f in document["storeCard"]["backFields"] if f["key"] == "news"]
    assert "changeMessage" in news
    listed = owner.call("GET", f"/api/offers/{offer_id}/campaigns")
    assert listed.status_code == 200
    assert [c["campaignId"] for c in listed.json()["items"]] == [body["campaignId"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message": "<script>alert(1)</script>"}, "message"),
        ({"messageAr": "سطر\nسطر"}, "messageAr"),
        ({"message": "x" * 161}, "message"),
        ({"message": ""}, "message"),
        ({"sendAt": "2020-01-01T00:00:00Z"}, "sendAt"),
        ({"audience": {"segment": "TIER", "tierId": "not-a-tier"}}, "audience.tierId"),
        ({"audience": {"segment": "BRANCH", "branchId": "brn_notthisbusiness00001"}}, "audience.branchId"),
    ],
)
def test_bad_campaigns_are_422_and_nothing_is_kept(
    gateway: str, owner: Counter, offer_id: str, changes: dict[str, Any], field: str
) -> None:
    refused = send(owner, offer_id, draft(**changes))
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert field in [d["field"] for d in error["details"]], error
    assert owner.call("GET", f"/api/offers/{offer_id}/campaigns").json()["items"] == []


def test_only_the_offers_owner_may_send_and_the_week_has_three(
    gateway: str, owner: Counter, manager: Counter, offer_id: str, token: Any
) -> None:
    assert send(manager, offer_id, draft()).status_code == 403
    stranger = Counter(gateway, token("owner", "biz_someoneelse0000000001"))
    assert send(stranger, offer_id, draft()).status_code == 404
    assert stranger.call("GET", f"/api/offers/{offer_id}/campaigns").status_code == 404
    assert send(owner, offer_id, draft(), key="k").status_code == 202
    reused = send(owner, offer_id, draft(message="Another"), key="k")
    assert reused.status_code == 422 and reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert send(owner, offer_id, draft(message="Two")).status_code == 202
    assert send(owner, offer_id, draft(message="Three")).status_code == 202

    fourth = send(owner, offer_id, draft(message="Four"))
    assert fourth.status_code == 429, fourth.text
    assert fourth.json()["error"]["code"] == "CAMPAIGN_LIMIT"
    assert 0 < int(fourth.headers["Retry-After"]) <= 7 * 86400
    assert len(owner.call("GET", f"/api/offers/{offer_id}/campaigns").json()["items"]) == 3
    forged = owner.call("GET", f"/api/offers/{offer_id}/campaigns", params={"cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status_code == 400 and forged.json()["error"]["code"] == "INVALID_CURSOR"
