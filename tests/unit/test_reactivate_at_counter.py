"""Reactivating an expired pass at the counter, against the in-memory pass store (the e2e suite drives it over
HTTP): what comes back, what the audit trail says, what a retry and a race get."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty.app.passes.commands import Actor
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass, PassActive, PassNotFound, PassStatus, expire
from loyalty.domain.short_codes import ALPHABET, LENGTH, short_code, typed_short_code
from loyalty.entrypoints.http.render import status_of
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.pass_actions import reactivate, scan
from tests.support.passes import fresh_pass

BUSINESS = "biz_counterbusiness01"
MANAGER = Actor("manager-sub", BUSINESS, "branch-downtown")


def expired_pass(store: InMemoryPassStore, clock: FrozenClock, *, stamps: int = 3, rewards: int = 4) -> Pass:
    pass_ = fresh_pass(
        5, to_iso(clock()), customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS
    )
    store.add_offer(an_offer(BUSINESS, offer_id=pass_.offer_id, name="Coffee Card", stamps_required=5))
    worn = replace(
        pass_, current_stamps=stamps, rewards_claimed=rewards, lifetime_stamps=stamps + 5 * rewards
    )
    return store.add_pass(expire(worn, to_iso(clock())))


def test_an_expired_pass_comes_back_active_at_zero_with_its_rewards_and_one_event_naming_who_and_where(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = expired_pass(store, clock)
    clock.advance(minutes=1)
    answer = reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id)
    assert answer.status == 200
    assert answer.body["status"] == "ACTIVE"
    assert answer.body["progress"]["currentStamps"] == 0
    assert answer.body["progress"]["rewardsClaimed"] == 4
    assert answer.body["lifetimeStamps"] == pass_.lifetime_stamps
    assert answer.body["lastActivityAt"] == to_iso(clock())
    # The screen needs nothing else: whose pass, which offer, the code under its barcode.
    assert (answer.body["name"], answer.body["offerName"]) == ("Jane", "Coffee Card")
    assert answer.body["shortCode"] == short_code(pass_.customer_id, pass_.offer_id)
    assert [(e.kind, e.actor, e.branch_id) for e in store.events] == [
        ("REACTIVATE", "manager-sub", "branch-downtown")
    ]
    # And the customer collects again at once.
    assert scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id).status == 200


def test_an_active_pass_is_refused_and_keeps_its_stamps(store: InMemoryPassStore, clock: FrozenClock) -> None:
    pass_ = expired_pass(store, clock)
    store.add_pass(replace(pass_, status=PassStatus.ACTIVE, expired_at=None, version=pass_.version + 1))
    with pytest.raises(PassActive) as refused:
        reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id)
    assert (status_of(refused.value), refused.value.code) == (409, "PASS_ACTIVE")
    stored = store.get_pass(pass_.customer_id, pass_.offer_id)
    assert stored is not None and stored.current_stamps == 3
    assert store.events == []


def test_another_business_and_an_erased_pass_are_not_found(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = expired_pass(store, clock)
    with pytest.raises(PassNotFound):
        reactivate(store, clock, Actor("x", "biz_someoneelse01", None), pass_.customer_id, pass_.offer_id)
    store.add_pass(replace(pass_, status=PassStatus.ERASED, version=pass_.version + 1))
    with pytest.raises(PassNotFound):
        reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id)
    assert store.events == []


def test_a_retry_under_its_key_gets_the_first_answer_and_writes_nothing_more(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = expired_pass(store, clock)
    first = reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "key-1")
    again = reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "key-1")
    assert again.body == first.body
    assert len(store.events) == 1
    # A new tap (a new key) on the pass now active is refused rather than resetting it.
    with pytest.raises(PassActive):
        reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "key-2")
    assert len(store.events) == 1


def test_two_managers_at_once_one_reactivates_and_the_other_is_told_it_is_active(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = expired_pass(store, clock)

    def the_other_manager_first(s: InMemoryPassStore) -> None:
        reactivate(s, clock, Actor("other-sub", BUSINESS, "branch-uptown"), pass_.customer_id, pass_.offer_id)

    store.meanwhile.append(the_other_manager_first)
    with pytest.raises(PassActive):
        reactivate(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, backoff=lambda attempt: None)
    assert [(e.kind, e.actor) for e in store.events] == [("REACTIVATE", "other-sub")]


def test_a_short_code_is_eight_unambiguous_characters_stable_per_pass_and_read_as_typed() -> None:
    code = short_code("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "off_bbbbbbbbbbbbbbbbbbbbbbbbbb")
    assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)
    assert code == short_code("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "off_bbbbbbbbbbbbbbbbbbbbbbbbbb")
    assert code != short_code("cus_aaaaaaaaaaaaaaaaaaaaaaaaab", "off_bbbbbbbbbbbbbbbbbbbbbbbbbb")
    spaced = f" {code[:4].lower()}-{code[4:]} "
    assert typed_short_code(spaced) == code
    assert typed_short_code("ABCD1234") is None
    assert typed_short_code("ABC") is None
