"""The scanner's write path, against the in-memory pass store: what a retry with the same Idempotency-Key gets,
what a concurrent writer costs, and when the scanner is told the pass is busy. Milliseconds, no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty.app.credentials.issuance import issuance_on_upgrade
from loyalty.app.idempotency import IdempotencyKeyReused
from loyalty.app.passes.actions import MAX_ATTEMPTS
from loyalty.app.passes.commands import Actor
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassBusy, PassNotFound, RewardReady
from loyalty.entrypoints.http.render import render_error, status_of
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore, touched_by_another_writer
from tests.support.pass_actions import confirm_prize, scan
from tests.support.passes import fresh_pass

BUSINESS = "biz_retriesbusiness01"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")


@pytest.fixture
def waits() -> list[int]:
    """The attempts after which the use case backed off (it never sleeps here)."""
    return []


def enrolled(store: InMemoryPassStore, clock: FrozenClock, *, stamps: int = 0, required: int = 5) -> Pass:
    pass_ = fresh_pass(
        required, to_iso(clock()), customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS
    )
    return store.add_pass(replace(pass_, current_stamps=stamps))


def offer_of(pass_: Pass) -> Offer:
    return an_offer(BUSINESS, offer_id=pass_.offer_id, stamps_required=pass_.stamps_required)


def stamps_of(store: InMemoryPassStore, pass_: Pass) -> int:
    stored = store.get_pass(pass_.customer_id, pass_.offer_id)
    assert stored is not None
    return stored.current_stamps


def test_a_retried_scan_gets_the_first_answer_and_no_second_stamp(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=2)
    first = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "key-1", backoff=waits.append)
    again = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "key-1", backoff=waits.append)
    assert (first.status, first.body["progress"]["currentStamps"]) == (200, 3)
    assert again == first
    assert stamps_of(store, pass_) == 3
    assert [event.kind for event in store.events] == ["STAMP"]


def test_the_first_refusal_is_kept_and_replayed_even_once_the_pass_would_allow_it(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=5)
    with pytest.raises(RewardReady) as full:
        scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "visit-7", backoff=waits.append)
    refused = render_error(full.value)
    assert (refused.status, refused.body["error"]["code"]) == (409, "REWARD_READY")

    confirm_prize(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, backoff=waits.append)
    retried = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "visit-7", backoff=waits.append)

    assert retried == refused
    assert stamps_of(store, pass_) == 0
    assert [event.kind for event in store.events] == ["PRIZE"]


def test_a_key_is_kept_through_the_next_day_and_free_after_it(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "daily", backoff=waits.append)
    clock.advance(hours=24, seconds=1)  # at least 24 hours: the key still holds
    again = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "daily", backoff=waits.append)
    assert again.body["progress"]["currentStamps"] == 1
    clock.advance(hours=24)  # two UTC days later the pass no longer keeps it
    later = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "daily", backoff=waits.append)
    assert later.body["progress"]["currentStamps"] == 2


def test_the_same_key_with_another_request_on_the_pass_is_refused_and_changes_nothing(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=4)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "shared", backoff=waits.append)
    with pytest.raises(IdempotencyKeyReused) as refused:
        confirm_prize(
            store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "shared", backoff=waits.append
        )
    assert (status_of(refused.value), refused.value.code) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert stamps_of(store, pass_) == 5
    assert [event.kind for event in store.events] == ["STAMP"]


def test_a_key_used_on_one_pass_is_refused_on_another(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    """The same key about another pass is another request (decision 0020a): 422, and no stamp there."""
    first, second = enrolled(store, clock), enrolled(store, clock)
    scan(store, clock, MANAGER, first.customer_id, first.offer_id, "shared", backoff=waits.append)
    with pytest.raises(IdempotencyKeyReused):
        scan(store, clock, MANAGER, second.customer_id, second.offer_id, "shared", backoff=waits.append)
    assert (stamps_of(store, first), stamps_of(store, second)) == (1, 0)


def test_a_concurrent_scan_costs_no_retry_and_neither_stamp_is_lost(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=1)

    def owner_scans_at_the_other_counter(shared: InMemoryPassStore) -> None:
        scan(shared, clock, Actor("owner-sub", BUSINESS, None), pass_.customer_id, pass_.offer_id)

    store.meanwhile.append(owner_scans_at_the_other_counter)

    answer = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "mine", backoff=waits.append)

    assert answer.body["progress"]["currentStamps"] == 3  # the write's conditions saw the other stamp
    assert stamps_of(store, pass_) == 3
    assert (store.conflicts, waits) == (0, [])
    assert [event.actor for event in store.events] == ["owner-sub", "manager-sub"]


def test_a_scan_is_one_write_whatever_else_moves_the_pass(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=1)
    store.meanwhile.extend([lambda s: touched_by_another_writer(s, pass_.customer_id, pass_.offer_id)] * 3)
    answer = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "busy", backoff=waits.append)
    assert answer.body["progress"]["currentStamps"] == 2
    assert (store.stamps, store.commits, waits) == (1, 0, [])


def test_the_counter_is_told_the_pass_is_busy_once_every_confirm_lost_its_race(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=5)
    store.meanwhile.extend(
        [lambda s: touched_by_another_writer(s, pass_.customer_id, pass_.offer_id)] * MAX_ATTEMPTS
    )
    with pytest.raises(PassBusy) as busy:
        confirm_prize(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "busy", backoff=waits.append)
    assert (status_of(busy.value), busy.value.code) == (409, "PASS_BUSY")
    assert waits == list(range(MAX_ATTEMPTS))
    assert stamps_of(store, pass_) == 5
    assert store.events == []
    # Nothing was remembered either: a retry of the same request may still succeed.
    retried = confirm_prize(
        store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "busy", backoff=waits.append
    )
    assert retried.body["totalCompletions"] == 1


def test_a_cycle_starting_on_a_changed_requirement_takes_the_offers_new_one(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    """The one write cannot pick the requirement itself: it is refused, and the stamp is read, decided and
    committed instead (two requests, once per cycle after an edit)."""
    pass_ = enrolled(store, clock, required=5)
    offer = replace(offer_of(pass_), stamps_required=8)
    answer = scan(
        store, clock, MANAGER, pass_.customer_id, pass_.offer_id, offers=lambda _: offer, backoff=waits.append
    )
    assert (answer.body["progress"]["currentStamps"], answer.body["progress"]["maxStamps"]) == (1, 8)
    assert (store.stamps, store.commits) == (0, 1)


def test_a_prize_that_crosses_a_tier_starts_one_issuance_even_when_its_first_commit_lost(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock, stamps=5)
    store.meanwhile.append(lambda s: touched_by_another_writer(s, pass_.customer_id, pass_.offer_id))

    answer = confirm_prize(
        store,
        clock,
        MANAGER,
        pass_.customer_id,
        pass_.offer_id,
        "prize-1",
        issuance_on_upgrade,
        backoff=waits.append,
    )

    (started,) = store.issuances
    assert answer.body["tierUpgrade"]["to"]["id"] == "bronze"
    assert answer.body["credentialIssuance"] == {
        "issuanceId": started.issuance.issuance_id,
        "status": started.issuance.status,
    }
    assert started.recipient_email == "jane@example.com"
    assert (store.conflicts, [event.kind for event in store.events]) == (1, ["PRIZE"])


def test_a_retried_stamp_gets_its_first_answer_after_other_stamps_landed(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock)
    first = scan(
        store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "lost-answer", backoff=waits.append
    )
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, backoff=waits.append)
    retried = scan(
        store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "lost-answer", backoff=waits.append
    )
    assert retried == first
    assert (first.body["progress"]["currentStamps"], stamps_of(store, pass_)) == (1, 2)


def test_another_business_gets_404_and_leaves_nothing_in_the_pass(
    store: InMemoryPassStore, clock: FrozenClock, waits: list[int]
) -> None:
    pass_ = enrolled(store, clock)
    stranger = Actor("stranger-sub", "biz_someotherbusiness", "branch-9")
    with pytest.raises(PassNotFound):
        scan(store, clock, stranger, pass_.customer_id, pass_.offer_id, "foreign-key", backoff=waits.append)
    assert store.pass_keys == {}
    assert (stamps_of(store, pass_), store.events) == (0, [])
