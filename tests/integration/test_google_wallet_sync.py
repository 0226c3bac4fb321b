"""Wallet sync driving the real Google Wallet adapter against the stand-in, record by record."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from loyalty.adapters.google.objects import object_id
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.support.google_service_account import (
    TEST_ISSUER_ID,
    StreamRecords,
    google_wallet_against,
    sample_offer,
    sample_pass,
    throwaway_account,
)

pytestmark = pytest.mark.integration

OFFER = sample_offer()


@dataclass
class ApplePushes:
    sent: list[tuple[str, str]] = field(default_factory=list)

    def pass_changed(self, customer_id: str, offer_id: str) -> None:
        self.sent.append((customer_id, offer_id))


@dataclass
class Offers:
    known: dict[str, Offer]

    def get(self, offer_id: str) -> Offer | None:
        return self.known.get(offer_id)


@pytest.fixture
def wallets(standin: GoogleWalletStandin) -> Wallets:
    return Wallets(
        Offers({OFFER.offer_id: OFFER}), ApplePushes(), google_wallet_against(standin, throwaway_account())
    )


def enrolled(wallets: Wallets, records: StreamRecords, pass_: Pass) -> str:
    assert sync_batch([records.offer_created(OFFER), records.pass_created(pass_)], wallets) == []
    return object_id(TEST_ISSUER_ID, pass_.customer_id, pass_.offer_id)


def test_a_scan_is_exactly_one_patch(standin: GoogleWalletStandin, wallets: Wallets) -> None:
    records = StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=3, rewards_claimed=1)
    wallet_id = enrolled(wallets, records, pass_)
    after = replace(pass_, current_stamps=4, lifetime_stamps=4, version=pass_.version + 1)
    assert sync_batch([records.pass_changed(pass_, after)], wallets) == []
    (patch,) = standin.object_patches()
    assert patch.path.endswith(wallet_id)
    assert "notifyPreference" not in patch.body
    assert {m["id"]: m["body"] for m in standin.wallet_object(wallet_id)["textModulesData"]}[
        "progress"
    ] == "4 of 5"
    assert standin.notifications(wallet_id) == []


def test_a_tier_change_patches_and_notifies_with_a_message(
    standin: GoogleWalletStandin, wallets: Wallets
) -> None:
    records = StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=5, rewards_claimed=5)
    wallet_id = enrolled(wallets, records, pass_)
    claimed = replace(pass_, current_stamps=0, rewards_claimed=6, version=pass_.version + 1)
    assert sync_batch([records.pass_changed(pass_, claimed)], wallets) == []
    (patch,) = standin.object_patches(wallet_id)
    assert "notifyPreference" not in patch.body
    stored = standin.wallet_object(wallet_id)
    assert stored["loyaltyPoints"]["balance"]["int"] == 6
    assert {m["id"]: m["body"] for m in stored["textModulesData"]}["member_status"] == "🥇 Gold Member"
    assert [m["body"] for m in stored["messages"]] == ["You are now 🥇 Gold Member"]
    assert len(standin.notifications(wallet_id)) == 1


def test_past_three_notices_a_day_the_pass_is_still_updated(
    standin: GoogleWalletStandin, wallets: Wallets
) -> None:
    records = StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=0, rewards_claimed=0)
    wallet_id = enrolled(wallets, records, pass_)
    # Bronze (1), Silver (3), Gold (6), then an expiry: four notices in a day.
    for claimed in (1, 3, 6):
        after = replace(pass_, rewards_claimed=claimed, version=pass_.version + 1)
        assert sync_batch([records.pass_changed(pass_, after)], wallets) == [], claimed
        pass_ = after
    expired = replace(pass_, status=PassStatus.EXPIRED, version=pass_.version + 1)
    assert sync_batch([records.pass_changed(pass_, expired)], wallets) == []
    assert len(standin.notifications(wallet_id)) == 3
    stored = standin.wallet_object(wallet_id)
    assert stored["state"] == "EXPIRED"
    assert stored["loyaltyPoints"]["balance"]["int"] == 6


def test_an_offer_edit_reaches_its_approved_class(standin: GoogleWalletStandin, wallets: Wallets) -> None:
    records = StreamRecords()
    enrolled(wallets, records, sample_pass(OFFER))
    class_id = f"{TEST_ISSUER_ID}.{OFFER.offer_id}"
    assert standin.wallet_class(class_id)["reviewStatus"] == "APPROVED"
    renamed = replace(OFFER, name="Evening Tea")
    assert sync_batch([records.offer_changed(OFFER, renamed)], wallets) == []
    assert standin.wallet_class(class_id)["programName"] == "Evening Tea"


def test_expiry_sets_the_object_expired(standin: GoogleWalletStandin, wallets: Wallets) -> None:
    records = StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=2, rewards_claimed=1)
    wallet_id = enrolled(wallets, records, pass_)
    expired = replace(pass_, status=PassStatus.EXPIRED, version=pass_.version + 1)
    assert sync_batch([records.pass_changed(pass_, expired)], wallets) == []
    assert standin.wallet_object(wallet_id)["state"] == "EXPIRED"
    assert wallets.apple.sent == [(pass_.customer_id, OFFER.offer_id)]  # type: ignore[union-attr]


def test_a_failed_patch_is_a_batch_item_failure_and_succeeds_on_retry(
    standin: GoogleWalletStandin, wallets: Wallets
) -> None:
    records = StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=1)
    wallet_id = enrolled(wallets, records, pass_)
    record = records.pass_changed(pass_, replace(pass_, current_stamps=2, version=pass_.version + 1))
    standin.fail_next("PATCH", "/loyaltyObject/", status=503)
    assert sync_batch([record], wallets) == [record.sequence_number]
    assert standin.wallet_object(wallet_id)["textModulesData"][2]["body"] == "1 of 5"
    assert sync_batch([record], wallets) == []
    assert [p.status for p in standin.object_patches(wallet_id)] == [503, 200]
    assert standin.wallet_object(wallet_id)["textModulesData"][2]["body"] == "2 of 5"
