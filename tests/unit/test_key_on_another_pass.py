"""An Idempotency-Key sent again about another pass is another request: 422 IDEMPOTENCY_KEY_REUSED and nothing
changed there (decision 0020a). A key naming its pass (the scanner's form) is judged by its form, with no write
before the scan's one; any other key is claimed first. Against the in-memory pass store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import IdempotencyKeyReused, IdempotentRequest
from loyalty.app.passes.commands import Actor
from loyalty.domain.bound_keys import bound_address, bound_key
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass, expire
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import render_error
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.pass_actions import confirm_prize, enroll, reactivate, scan, void_stamp
from tests.support.passes import fresh_pass

BUSINESS = "biz_keyreusebusiness1"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")
NONCE = "0123456789abcdef0123456789abcdef"


def enrolled(store: InMemoryPassStore, clock: FrozenClock, *, stamps: int = 0) -> Pass:
    pass_ = fresh_pass(
        5, to_iso(clock()), customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS
    )
    store.add_offer(an_offer(BUSINESS, offer_id=pass_.offer_id, stamps_required=5))
    return store.add_pass(replace(pass_, current_stamps=stamps))


def stamps_of(store: InMemoryPassStore, pass_: Pass) -> int:
    stored = store.get_pass(pass_.customer_id, pass_.offer_id)
    assert stored is not None
    return stored.current_stamps


def refused_as_reused(error: IdempotencyKeyReused) -> tuple[int, str]:
    answer = render_error(error)
    return answer.status, answer.body["error"]["code"]


# ---------------------------------------------------------------------------------------------- the key's form
def test_the_scanner_form_names_its_pass_and_anything_else_names_none() -> None:
    customer, offer = new_id("cus"), new_id("off")
    key = bound_key(customer, offer, NONCE)
    assert key == f"pass.{customer}.{offer}.{NONCE}"
    assert len(key) <= 128
    assert bound_address(key) == (customer, offer)
    for free in (
        "0b6f2f0e-8f8e-4bd5-a3c1-4ee0e1c1c5d7",
        f"pass.{customer}.{offer}",  # no nonce
        f"pass.{customer}.{offer}.short",  # a nonce under 16 characters
        f"pass.{offer}.{customer}.{NONCE}",  # the ids the wrong way round
        f"pass.{customer}.{offer}.{NONCE}.more",
        f"Pass.{customer}.{offer}.{NONCE}",
    ):
        assert bound_address(free) is None, free
    with pytest.raises(ValueError):
        bound_key(customer, offer, "too-short")


# ---------------------------------------------------------------------------------------------- a scan
def test_a_free_key_used_on_one_pass_is_refused_on_another_which_keeps_its_stamps(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    first, second = enrolled(store, clock, stamps=1), enrolled(store, clock, stamps=1)
    scan(store, clock, MANAGER, first.customer_id, first.offer_id, "visit-42")
    with pytest.raises(IdempotencyKeyReused) as refused:
        scan(store, clock, MANAGER, second.customer_id, second.offer_id, "visit-42")
    assert refused_as_reused(refused.value) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert (stamps_of(store, first), stamps_of(store, second)) == (2, 1)
    assert [event.kind for event in store.events] == ["STAMP"]


def test_a_free_key_retried_on_its_own_pass_gets_the_first_answer_and_one_stamp(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = enrolled(store, clock)
    first = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "visit-43")
    again = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "visit-43")
    assert again == first
    assert stamps_of(store, pass_) == 1
    assert store.claim_writes == 2  # each request claims (its own claim holds again): two requests a scan


def test_a_claim_whose_scan_never_landed_lets_the_retry_stamp(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    """A crash between the claim and the pass write: the retry finds its own claim and stamps once."""
    pass_ = enrolled(store, clock)
    address = (pass_.customer_id, pass_.offer_id)
    request = IdempotentRequest.of(
        BUSINESS, "lost", "scan", {"customerId": address[0], "offerId": address[1]}
    )
    store.claim_key(address, request, to_iso(clock()))
    answer = scan(store, clock, MANAGER, *address, "lost")
    assert (answer.status, stamps_of(store, pass_)) == (200, 1)


def test_a_key_naming_another_pass_is_refused_by_its_form_before_anything_is_written(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    mine, theirs = enrolled(store, clock, stamps=2), enrolled(store, clock, stamps=2)
    key = bound_key(theirs.customer_id, theirs.offer_id, NONCE)
    with pytest.raises(IdempotencyKeyReused) as refused:
        scan(store, clock, MANAGER, mine.customer_id, mine.offer_id, key)
    assert refused_as_reused(refused.value) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert (stamps_of(store, mine), stamps_of(store, theirs)) == (2, 2)
    assert (store.claim_writes, store.stamps, store.events) == (0, 0, [])


def test_a_key_naming_its_own_pass_is_kept_by_the_scan_alone_and_replayed(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    pass_ = enrolled(store, clock, stamps=2)
    key = bound_key(pass_.customer_id, pass_.offer_id, NONCE)
    first = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, key)
    again = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, key)
    assert (first.status, first.body["progress"]["currentStamps"]) == (200, 3)
    assert again == first
    assert stamps_of(store, pass_) == 3
    assert store.claim_writes == 0  # no key item: the scan's one write keeps the key


def test_a_free_key_expires_with_the_contract_s_24_hours(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    first, second = enrolled(store, clock), enrolled(store, clock)
    scan(store, clock, MANAGER, first.customer_id, first.offer_id, "old-key")
    clock.advance(hours=24, seconds=1)
    later = scan(store, clock, MANAGER, second.customer_id, second.offer_id, "old-key")
    assert (later.status, stamps_of(store, second)) == (200, 1)


# ---------------------------------------------------------------------------------------------- the other actions
def test_a_void_s_free_key_is_refused_on_another_pass(store: InMemoryPassStore, clock: FrozenClock) -> None:
    first, second = enrolled(store, clock, stamps=2), enrolled(store, clock, stamps=2)
    owner = Actor("owner-sub", BUSINESS, None, is_owner=True)
    void_stamp(store, clock, owner, first.customer_id, first.offer_id, "mis-tap", key="void-1")
    with pytest.raises(IdempotencyKeyReused):
        void_stamp(store, clock, owner, second.customer_id, second.offer_id, "mis-tap", key="void-1")
    assert (stamps_of(store, first), stamps_of(store, second)) == (1, 2)


def test_a_void_with_a_key_naming_another_pass_is_refused(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    mine, theirs = enrolled(store, clock, stamps=2), enrolled(store, clock, stamps=2)
    owner = Actor("owner-sub", BUSINESS, None, is_owner=True)
    key = bound_key(theirs.customer_id, theirs.offer_id, NONCE)
    with pytest.raises(IdempotencyKeyReused):
        void_stamp(store, clock, owner, mine.customer_id, mine.offer_id, key=key)
    assert (stamps_of(store, mine), store.claim_writes, store.commits) == (2, 0, 0)


def test_a_confirm_prize_key_is_refused_on_another_full_card(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    first, second = enrolled(store, clock, stamps=5), enrolled(store, clock, stamps=5)
    confirm_prize(store, clock, MANAGER, first.customer_id, first.offer_id, "prize-1")
    with pytest.raises(IdempotencyKeyReused):
        confirm_prize(store, clock, MANAGER, second.customer_id, second.offer_id, "prize-1")
    assert (stamps_of(store, first), stamps_of(store, second)) == (0, 5)


def test_a_reactivate_key_is_refused_on_another_expired_pass(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    first, second = enrolled(store, clock, stamps=3), enrolled(store, clock, stamps=3)
    for pass_ in (first, second):
        store.add_pass(expire(pass_, to_iso(clock())))
    clock.advance(minutes=1)
    reactivate(store, clock, MANAGER, first.customer_id, first.offer_id, "again-1")
    with pytest.raises(IdempotencyKeyReused):
        reactivate(store, clock, MANAGER, second.customer_id, second.offer_id, "again-1")
    stored = store.get_pass(second.customer_id, second.offer_id)
    assert stored is not None and stored.status.value == "EXPIRED"


# ---------------------------------------------------------------------------------------------- no pass yet
def test_an_enrollment_key_sent_with_another_form_is_refused_and_makes_no_second_customer(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    """Enroll keeps its own record (per offer): the same key with another form is 422, as the contract says."""
    offer = store.add_offer(an_offer(BUSINESS, offer_id=new_id("off"), stamps_required=5))
    mailing = RecoveryMail.never_mailing()
    first = enroll(
        store, clock, offer.offer_id, EnrollmentRequest(email="a@example.com", name="A"), mailing, "j-1"
    )
    assert first.status == 201
    with pytest.raises(IdempotencyKeyReused):
        enroll(
            store, clock, offer.offer_id, EnrollmentRequest(email="b@example.com", name="B"), mailing, "j-1"
        )
    assert list(store.customers) == [(BUSINESS, "a@example.com")]


def test_an_enrollment_key_sent_again_to_join_another_offer_is_refused(
    store: InMemoryPassStore, clock: FrozenClock
) -> None:
    coffee = store.add_offer(an_offer(BUSINESS, offer_id=new_id("off"), stamps_required=5))
    bagels = store.add_offer(an_offer(BUSINESS, offer_id=new_id("off"), stamps_required=5))
    mailing, form = RecoveryMail.never_mailing(), EnrollmentRequest(email="a@example.com", name="A")
    assert enroll(store, clock, coffee.offer_id, form, mailing, "join-1").status == 201
    with pytest.raises(IdempotencyKeyReused):
        enroll(store, clock, bagels.offer_id, form, mailing, "join-1")
    assert [address[1] for address in store.passes] == [coffee.offer_id]
