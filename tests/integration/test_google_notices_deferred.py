"""A pass's own notifying Google updates past Google's 3 a day (a tier, the expiry reminder): the pass is updated
quietly at once, the notification waits on the campaign queue until the pass's window frees, is counted deferred,
and then reaches the phone; Google (its stand-in, which refuses a fourth in 24 hours with 429) is never asked for
one it would refuse."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

import loyalty_local.standins.google_wallet as google_standin
from loyalty.adapters.dynamodb.campaigns import DynamoCampaignStore, GoogleNotificationWindow
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.google.notices import GoogleNotices
from loyalty.adapters.google.objects import object_id
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.app.campaigns.fanout import CampaignFanOut, CampaignMessage, NoticeLater
from loyalty.domain.clock import utc_now
from loyalty.domain.passes import Pass
from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.support.google_service_account import (
    TEST_ISSUER_ID,
    google_wallet_against,
    sample_offer,
    sample_pass,
    throwaway_account,
)

pytestmark = pytest.mark.integration

OFFER = sample_offer()


class Held:
    """The campaign queue as the wallet sync and the worker use it: what was queued, with its delay."""

    def __init__(self) -> None:
        self.messages: list[tuple[CampaignMessage, int]] = []

    def __call__(self, notice: NoticeLater, delay_seconds: int) -> None:
        self.messages.append((notice, delay_seconds))

    def send(self, messages: Sequence[CampaignMessage], delay_seconds: int = 0) -> None:
        self.messages.extend((m, delay_seconds) for m in messages)


class DayLater:
    """The stand-in's clock a day and a few minutes on: its 24-hour quota has freed."""

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)

    def monotonic(self) -> float:
        return time.monotonic() + 86400 + 300


def test_a_fourth_notice_in_a_day_waits_for_the_window_and_then_reaches_the_phone(
    standin: GoogleWalletStandin, ddb: Any, table_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    DynamoOfferStore(ddb, table_name).add(OFFER)
    window = GoogleNotificationWindow(ddb, table_name)
    held = Held()
    adapter = google_wallet_against(standin, throwaway_account())
    google = GoogleWalletPasses(
        adapter._client,
        TEST_ISSUER_ID,
        "Bean There Café",
        "https://assets.example.com/logo.png",
        window=window,
        hold=held,
    )
    pass_: Pass = sample_pass(OFFER, current_stamps=0, rewards_claimed=0)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    wallet_id = object_id(TEST_ISSUER_ID, pass_.customer_id, pass_.offer_id)
    # Bronze (1), Silver (3), Gold (6): three notifying updates today.
    for claimed in (1, 3, 6):
        pass_ = replace(pass_, rewards_claimed=claimed, version=pass_.version + 1)
        google.update(OFFER, pass_, OFFER.ladder.standing(claimed), notify=True)
    assert len(standin.notifications(wallet_id)) == 3

    # The weekly job reminds the quiet holder: the pass shows it at once, the notification waits.
    reminded = replace(pass_, reminded_for=pass_.last_activity_at, version=pass_.version + 1)
    ddb.put_item(TableName=table_name, Item=pass_to_item(reminded))
    google.update(OFFER, reminded, OFFER.ladder.standing(6), notify=True)
    assert len(standin.notifications(wallet_id)) == 3  # Google was not asked for a fourth
    assert not [r for r in standin.requests if r.status == 429]
    stored = standin.wallet_object(wallet_id)
    assert "notice" in {m["id"] for m in stored["textModulesData"]}  # the reminder, shown quietly now
    ((notice, delay),) = held.messages
    assert notice == NoticeLater(OFFER.offer_id, pass_.customer_id, "reminder")
    assert 0 < delay <= 900  # SQS's longest hold; asked again until the window frees
    # Another notifying change meanwhile joins the notice that waits: the phone is not told twice later.
    google.update(
        OFFER, replace(reminded, version=reminded.version + 1), OFFER.ladder.standing(6), notify=True
    )
    assert len(held.messages) == 1

    clock_now = [utc_now()]
    fanout = CampaignFanOut(
        DynamoCampaignStore(ddb, table_name),
        DynamoOfferStore(ddb, table_name),
        None,  # type: ignore[arg-type]  # no audience: only held notices go through here
        held,
        None,
        window,
        lambda: clock_now[0],
        google_on=True,
        notices=GoogleNotices(DynamoPassStore(ddb, table_name, 24), adapter._client, TEST_ISSUER_ID, 90),
    )
    held.messages.clear()
    # Still inside the day: it waits again, counted deferred, nothing sent.
    assert fanout.handle(notice).deferred == 1
    assert len(held.messages) == 1 and len(standin.notifications(wallet_id)) == 3

    # A day on, for us and for Google: the notification reaches the phone.
    clock_now[0] = utc_now() + timedelta(hours=24, minutes=5)
    monkeypatch.setattr(google_standin, "time", DayLater())
    assert fanout.handle(notice).delivered == 1
    assert len(standin.notifications(wallet_id)) == 4
    messages = standin.wallet_object(wallet_id)["messages"]
    assert messages[-1]["messageType"] == "TEXT_AND_NOTIFY"
    assert "expire" in messages[-1]["body"].lower()


def test_a_held_notice_the_pass_no_longer_shows_is_not_sent(
    standin: GoogleWalletStandin, ddb: Any, table_name: str
) -> None:
    DynamoOfferStore(ddb, table_name).add(OFFER)
    adapter = google_wallet_against(standin, throwaway_account())
    pass_ = sample_pass(OFFER)
    adapter.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    # The holder visited meanwhile: the reminder no longer stands.
    ddb.put_item(TableName=table_name, Item=pass_to_item(pass_))
    notices = GoogleNotices(DynamoPassStore(ddb, table_name, 24), adapter._client, TEST_ISSUER_ID, 90)
    assert notices.notify(pass_.customer_id, OFFER.offer_id, "reminder") is False
    assert standin.notifications(object_id(TEST_ISSUER_ID, pass_.customer_id, pass_.offer_id)) == []
