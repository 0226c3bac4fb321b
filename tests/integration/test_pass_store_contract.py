"""The pass store's promises, held to by the DynamoDB adapter and by the in-memory fake alike: the unit tests that
run on the fake are worth what the fake's honesty is worth."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import (
    IdempotencyKeyReused,
    IdempotentRequest,
    RememberedAnswer,
    RememberedChange,
    RememberedStamp,
    StoredAnswer,
)
from loyalty.app.ports.passes import ChangeNote, NewCustomer, PassChange, StampAttempt, WriteConflict
from loyalty.app.ports.passes import PassStore as PassStorePort
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass, award_stamp
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

AT = "2027-03-01T09:00:00.000Z"
BUSINESS = "biz_contractbusiness1"


@pytest.fixture(params=["dynamodb", "in-memory"])
def store(request: pytest.FixtureRequest) -> PassStorePort:
    if request.param == "in-memory":
        return InMemoryPassStore(FrozenClock())
    ddb: Any = request.getfixturevalue("ddb")
    return DynamoPassStore(ddb, request.getfixturevalue("table_name"))


def pass_() -> Pass:
    return fresh_pass(at=AT, customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS)


def change(
    to: Pass, expected: int | None, request: IdempotentRequest | None = None, **also: Any
) -> PassChange:
    return PassChange(
        pass_=to,
        expected_version=expected,
        note=ChangeNote("STAMP" if expected else "ENROLL", "someone"),
        answer=StoredAnswer(200, {"currentStamps": to.current_stamps}),
        request=request,
        **also,
    )


def test_a_commit_on_the_version_read_lands(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    stamped = award_stamp(enrolled, AT)
    store.commit(change(stamped, enrolled.version))
    assert store.get_pass(enrolled.customer_id, enrolled.offer_id) == stamped


def test_a_commit_on_a_stale_version_conflicts_and_writes_nothing(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    stamped = award_stamp(enrolled, AT)
    store.commit(change(stamped, enrolled.version))
    with pytest.raises(WriteConflict):
        store.commit(change(replace(stamped, current_stamps=4), enrolled.version))
    assert store.get_pass(enrolled.customer_id, enrolled.offer_id) == stamped


def test_a_pass_is_created_once(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    with pytest.raises(WriteConflict):
        store.commit(change(enrolled, None))


def test_a_business_meets_an_email_once(store: PassStorePort) -> None:
    first, second = pass_(), pass_()
    store.commit(
        change(first, None, new_customer=NewCustomer(first.customer_id, BUSINESS, "jane@x.com", "J", AT))
    )
    with pytest.raises(WriteConflict):
        store.commit(
            change(
                second, None, new_customer=NewCustomer(second.customer_id, BUSINESS, "jane@x.com", "J", AT)
            )
        )
    assert store.get_pass(second.customer_id, second.offer_id) is None
    assert store.snapshot(customer_of=(BUSINESS, "jane@x.com")).customer_id == first.customer_id


def test_an_enrollments_answer_is_kept_under_its_key_and_the_key_is_held(store: PassStorePort) -> None:
    enrolled = pass_()
    request = IdempotentRequest.of(f"{enrolled.offer_id}#enroll", "k-1", "enroll", {"a": 1})
    store.commit(change(enrolled, None, request))
    remembered = store.snapshot(request=request).remembered
    assert isinstance(remembered, RememberedAnswer)
    assert remembered.answer == StoredAnswer(200, {"currentStamps": 0})
    with pytest.raises(WriteConflict):
        store.commit(change(pass_(), None, request))
    # A refusal offered for a held key gives way to the answer already kept.
    assert store.remember(request, StoredAnswer(409, {"refused": True}), AT) == StoredAnswer(
        200, {"currentStamps": 0}
    )
    other = IdempotentRequest.of(request.scope, request.key, "enroll", {"a": 2})
    with pytest.raises(IdempotencyKeyReused):
        store.remember(other, StoredAnswer(409, {"refused": True}), AT)


def test_a_void_keeps_the_version_it_made_inside_the_pass_and_the_key_is_held(store: PassStorePort) -> None:
    """A void's answer is drawn again from the pass at its version: the pass keeps the request's fingerprint and
    that version, not the answer (decision 0021a), so the key is held and a reuse can still be told apart."""
    enrolled = pass_()
    store.commit(change(enrolled, None))
    address = (enrolled.customer_id, enrolled.offer_id)
    request = IdempotentRequest.of(BUSINESS, "void-1", "void-stamp", {"a": 1})
    stamped = award_stamp(enrolled, AT)
    store.commit(change(stamped, enrolled.version, request))
    remembered = store.snapshot(pass_key=address, request=request, at=AT).remembered
    assert remembered == RememberedChange(request.fingerprint[:12], stamped.version)
    assert store.pass_at_version(*address, stamped.version) == store.get_pass(*address)
    with pytest.raises(WriteConflict):
        store.commit(change(award_stamp(stamped, AT), stamped.version, request))
    with pytest.raises(WriteConflict):  # read again: the use case replays the void from the pass
        store.remember_on_pass(address, request, StoredAnswer(409, {"refused": True}), AT)


def test_a_refusal_keeps_its_answer_inside_the_pass_and_the_key_is_held(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    address = (enrolled.customer_id, enrolled.offer_id)
    request = IdempotentRequest.of(BUSINESS, "void-2", "void-stamp", {"a": 1})
    refused = StoredAnswer(409, {"error": {"code": "NOTHING_TO_VOID"}})
    assert store.remember_on_pass(address, request, refused, AT) == refused
    remembered = store.snapshot(pass_key=address, request=request, at=AT).remembered
    assert remembered == RememberedAnswer(request.fingerprint[:12], refused)
    assert store.remember_on_pass(address, request, StoredAnswer(200, {}), AT) == refused
    other = IdempotentRequest.of(BUSINESS, request.key, "void-stamp", {"a": 2})
    with pytest.raises(IdempotencyKeyReused):
        store.remember_on_pass(address, other, StoredAnswer(409, {"refused": True}), AT)


def attempt(of: Pass, **also: Any) -> StampAttempt:
    values: dict[str, Any] = {
        "customer_id": of.customer_id,
        "offer_id": of.offer_id,
        "business_id": BUSINESS,
        "at": AT,
        "note": ChangeNote("STAMP", "manager", "branch-1"),
        "offer_stamps_required": of.stamps_required,
        "last_stamp_not_after": None,
        **also,
    }
    return StampAttempt(**values)


def test_a_stamp_is_one_write_that_answers_the_new_pass(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    outcome = store.stamp(attempt(enrolled))
    assert outcome.stamped
    assert outcome.pass_ == store.get_pass(enrolled.customer_id, enrolled.offer_id)
    assert outcome.pass_ is not None
    assert (outcome.pass_.current_stamps, outcome.pass_.version) == (1, 2)
    assert [(mark.at, mark.branch_id) for mark in outcome.pass_.cycle_stamps] == [(AT, "branch-1")]


def test_a_refused_stamp_changes_nothing_and_shows_the_pass_as_it_was(store: PassStorePort) -> None:
    full = replace(pass_(), current_stamps=5)
    store.commit(change(full, None))
    outcome = store.stamp(attempt(full))
    assert (outcome.stamped, outcome.pass_) == (False, full)
    assert store.get_pass(full.customer_id, full.offer_id) == full
    elsewhere = pass_()
    store.commit(change(elsewhere, None))
    assert not store.stamp(attempt(elsewhere, business_id="biz_someoneelse01")).stamped
    assert store.stamp(attempt(pass_())).pass_ is None


def test_a_stamps_key_keeps_the_counts_it_made(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    request = IdempotentRequest.of(BUSINESS, "scan-1", "scan", {"a": 1})
    first = store.stamp(attempt(enrolled, request=request))
    assert store.stamp(attempt(enrolled, at="2027-03-01T09:01:00.000Z")).stamped  # another scan moves on
    again = store.stamp(attempt(enrolled, request=request))
    # The retry's refused write returns what the first stamp kept: 1 of 5 stamps, no prize (no version).
    assert (first.stamped, again.stamped, again.remembered) == (True, False, RememberedStamp(None, 1, 5, 0))
    assert again.pass_ is not None and again.pass_.current_stamps == 2


def test_a_stamp_under_the_cooldown_is_refused(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    assert store.stamp(attempt(enrolled)).stamped
    later = "2027-03-01T09:30:00.000Z"
    refused = store.stamp(attempt(enrolled, at=later, last_stamp_not_after="2027-03-01T08:30:00.000Z"))
    assert not refused.stamped
    assert store.stamp(attempt(enrolled, at=later, last_stamp_not_after=AT)).stamped


def test_a_stamps_mark_keeps_its_millisecond(store: PassStorePort) -> None:
    enrolled = pass_()
    store.commit(change(enrolled, None))
    at = "2027-03-01T09:00:00.123Z"
    outcome = store.stamp(attempt(enrolled, at=at))
    assert outcome.pass_ is not None
    assert [mark.at for mark in outcome.pass_.cycle_stamps] == [at]


def test_a_prizes_key_is_kept_apart_yet_no_other_request_on_the_pass_may_reuse_it(
    store: PassStorePort,
) -> None:
    full = replace(pass_(), current_stamps=5)
    store.commit(change(full, None))
    address = (full.customer_id, full.offer_id)
    prize = IdempotentRequest.of(BUSINESS, "prize-1", "confirm-prize", {"a": 1})
    store.commit(change(replace(full, current_stamps=0, version=2, rewards_claimed=1), 1, prize))
    remembered = store.snapshot(pass_key=address, request=prize, at=AT).remembered
    assert isinstance(remembered, RememberedAnswer) and remembered.answer.status == 200
    scan_again = IdempotentRequest.of(BUSINESS, "prize-1", "scan", {"a": 1})
    reused = store.snapshot(pass_key=address, request=scan_again, at=AT).remembered
    assert isinstance(reused, RememberedAnswer)
    assert not scan_again.fingerprint.startswith(reused.fingerprint)
