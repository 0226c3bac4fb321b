"""Wallet sync: which pass changes reach which wallet, with what notification, and how failures come back."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from loyalty.app.wallets.sync import Wallets, pass_change, sync_batch
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import Tier, TierConfig
from tests.support.fakes import ApplePushes, GoogleObjects, Offers
from tests.support.google_service_account import StreamRecords, sample_offer, sample_pass

OFFER = sample_offer()


def wallets(apple: ApplePushes, google: GoogleObjects, offers: Offers | None = None) -> Wallets:
    return Wallets(offers=offers or Offers({OFFER.offer_id: OFFER}), apple=apple, google=google)


def stamped(pass_: Pass, stamps: int = 1) -> Pass:
    return replace(
        pass_,
        current_stamps=pass_.current_stamps + stamps,
        lifetime_stamps=pass_.lifetime_stamps + stamps,
        version=pass_.version + 1,
        last_activity_at="2026-11-20T10:00:00.000Z",
    )


def test_a_scan_is_one_quiet_google_update_and_one_apple_push() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    before = sample_pass(OFFER, current_stamps=3, rewards_claimed=1)
    assert sync_batch([records.pass_changed(before, stamped(before))], wallets(apple, google)) == []
    ((pass_, standing, notify),) = google.updates
    assert pass_.current_stamps == 4
    assert standing.current is not None
    assert standing.current.id == "bronze"
    assert notify is False
    assert apple.sent == [(before.customer_id, OFFER.offer_id)]


def test_a_prize_that_crosses_a_tier_notifies() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    full = sample_pass(OFFER, current_stamps=5, rewards_claimed=2)
    claimed = replace(full, current_stamps=0, rewards_claimed=3, version=full.version + 1)
    sync_batch([records.pass_changed(full, claimed)], wallets(apple, google))
    ((pass_, standing, notify),) = google.updates
    assert (pass_.rewards_claimed, standing.current.id if standing.current else None, notify) == (
        3,
        "silver",
        True,
    )
    assert len(apple.sent) == 1


def test_a_prize_within_the_same_tier_stays_quiet() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    full = sample_pass(OFFER, current_stamps=5, rewards_claimed=3)
    claimed = replace(full, current_stamps=0, rewards_claimed=4)
    sync_batch([records.pass_changed(full, claimed)], wallets(apple, google))
    assert [notify for _, _, notify in google.updates] == [False]


def test_expiry_reaches_both_wallets_and_notifies() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    active = sample_pass(OFFER, current_stamps=2, rewards_claimed=1)
    expired = replace(active, status=PassStatus.EXPIRED, expired_at="2027-03-01T02:00:00.000Z")
    sync_batch([records.pass_changed(active, expired)], wallets(apple, google))
    ((pass_, _, notify),) = google.updates
    assert pass_.status is PassStatus.EXPIRED
    assert notify is True
    assert apple.sent == [(active.customer_id, OFFER.offer_id)]


def test_writes_a_customer_cannot_see_reach_no_wallet() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=2)
    touched = replace(pass_, version=pass_.version + 1, updated_at="2026-11-21T00:00:00.000Z")
    sync_batch([records.pass_changed(pass_, touched)], wallets(apple, google))
    assert google.updates == []
    assert apple.sent == []


def test_new_offer_gets_its_class_and_new_pass_its_object() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    offers = Offers({})
    pass_ = sample_pass(OFFER)
    assert (
        sync_batch(
            [records.offer_created(OFFER), records.pass_created(pass_)], wallets(apple, google, offers)
        )
        == []
    )
    assert google.classes == [OFFER.offer_id]
    assert [inserted.customer_id for inserted in google.inserted] == [pass_.customer_id]
    assert offers.reads == 0  # the offer came with the batch
    assert apple.sent == []  # a new Apple pass is downloaded, nothing to push


def test_a_ladder_changed_earlier_in_the_batch_is_the_one_shown() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    custom = TierConfig(enabled=True, tiers=(Tier("regular", "Regular", "منتظم", 1, None, "☕"),))
    retiered = replace(OFFER, loyalty_tiers=custom)
    full = sample_pass(OFFER, current_stamps=5, rewards_claimed=0)
    claimed = replace(full, current_stamps=0, rewards_claimed=1)
    batch = [records.offer_changed(OFFER, retiered), records.pass_changed(full, claimed)]
    assert sync_batch(batch, wallets(apple, google)) == []
    ((_, standing, notify),) = google.updates
    assert standing.current is not None
    assert (standing.current.id, notify) == ("regular", True)
    assert google.classes == []  # an offer's class is inserted once, when the offer is created


def test_each_offer_is_read_once_a_batch() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    offers = Offers({OFFER.offer_id: OFFER})
    first = sample_pass(OFFER, customer_id="cus_first00000000000000000000")
    second = sample_pass(OFFER, customer_id="cus_second0000000000000000000")
    batch = [records.pass_changed(first, stamped(first)), records.pass_changed(second, stamped(second))]
    sync_batch(batch, wallets(apple, google, offers))
    assert offers.reads == 1
    assert len(google.updates) == 2


def test_a_failure_returns_the_record_to_retry_from_and_stops_there() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    first, second, third = (
        sample_pass(OFFER, customer_id=f"cus_{name:0<26}") for name in ("first", "second", "third")
    )
    batch = [records.pass_changed(pass_, stamped(pass_)) for pass_ in (first, second, third)]
    google.fail_for = {second.customer_id}
    # The first record goes through; the second fails; the third waits for the retry, so order holds.
    assert sync_batch(batch, wallets(apple, google)) == [batch[1].sequence_number]
    assert [pass_.customer_id for pass_, _, _ in google.updates] == [first.customer_id]
    # Lambda retries from the failed record; this time Google answers.
    assert sync_batch(batch[1:], wallets(apple, google)) == []
    assert [pass_.customer_id for pass_, _, _ in google.updates] == [
        first.customer_id,
        second.customer_id,
        third.customer_id,
    ]
    assert len(apple.sent) == 3


def test_a_failed_apple_push_is_retried_too() -> None:
    apple, google, records = ApplePushes(failures=1), GoogleObjects(), StreamRecords()
    pass_ = sample_pass(OFFER, current_stamps=1)
    record = records.pass_changed(pass_, stamped(pass_))
    assert sync_batch([record], wallets(apple, google)) == [record.sequence_number]
    assert sync_batch([record], wallets(apple, google)) == []
    assert apple.sent == [(pass_.customer_id, OFFER.offer_id)]


def test_records_that_might_not_finish_in_time_are_handed_back() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    pass_batch = [sample_pass(OFFER, customer_id=f"cus_{n:026d}") for n in range(3)]
    batch = [records.pass_changed(pass_, stamped(pass_)) for pass_ in pass_batch]
    clock = iter([50.0, 40.0, 20.0])  # seconds left before each record
    failed = sync_batch(batch, wallets(apple, google), seconds_left=lambda: next(clock), reserve_seconds=32)
    assert failed == [batch[2].sequence_number]
    assert [pass_.customer_id for pass_, _, _ in google.updates] == [
        pass_batch[0].customer_id,
        pass_batch[1].customer_id,
    ]


def test_unknown_offer_is_retried_rather_than_dropped() -> None:
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    pass_ = sample_pass(OFFER)
    record = records.pass_changed(pass_, stamped(pass_))
    assert sync_batch([record], wallets(apple, google, Offers({}))) == [record.sequence_number]


def test_google_off_still_pushes_apple() -> None:
    apple, records = ApplePushes(), StreamRecords()
    pass_ = sample_pass(OFFER)
    sync_batch(
        [records.pass_changed(pass_, stamped(pass_))], Wallets(Offers({OFFER.offer_id: OFFER}), apple, None)
    )
    assert len(apple.sent) == 1


@given(
    old_rewards=st.integers(0, 30),
    new_rewards=st.integers(0, 30),
    old_stamps=st.integers(0, 5),
    new_stamps=st.integers(0, 5),
    expires=st.booleans(),
)
def test_notify_exactly_on_tier_change_or_expiry(
    old_rewards: int, new_rewards: int, old_stamps: int, new_stamps: int, expires: bool
) -> None:
    ladder = OFFER.ladder
    old = sample_pass(OFFER, rewards_claimed=old_rewards, current_stamps=old_stamps)
    new = replace(
        old,
        rewards_claimed=new_rewards,
        current_stamps=new_stamps,
        status=PassStatus.EXPIRED if expires else PassStatus.ACTIVE,
    )
    change = pass_change(old, new, ladder.standing(old_rewards), ladder.standing(new_rewards))
    old_tier, new_tier = ladder.standing(old_rewards).current, ladder.standing(new_rewards).current
    assert change.notify == ((old_tier != new_tier) or expires)
    assert change.shown == (old_rewards != new_rewards or old_stamps != new_stamps or expires)
