"""The pass store's promises, held to by the DynamoDB adapter and by the in-memory fake alike: the unit tests that
run on the fake are worth what the fake's honesty is worth."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from loyalty.adapters.dynamodb.passes import PassStore
from loyalty.app.idempotency import IdempotencyKeyReused, IdempotentRequest, StoredAnswer
from loyalty.app.ports import NewCustomer, PassChange, PassEvent, WriteConflict
from loyalty.app.ports import PassStore as PassStorePort
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass, award_stamp, new_pass
from tests.support.fakes import FrozenClock, InMemoryPassStore

pytestmark = pytest.mark.integration

AT = "2027-03-01T09:00:00.000Z"
BUSINESS = "biz_contractbusiness1"


@pytest.fixture(params=["dynamodb", "in-memory"])
def store(request: pytest.FixtureRequest) -> PassStorePort:
    if request.param == "in-memory":
        return InMemoryPassStore(FrozenClock())
    ddb: Any = request.getfixturevalue("ddb")
    return PassStore(ddb, request.getfixturevalue("table_name"))


def card() -> Pass:
    return new_pass(
        customer_id=new_id("cus"),
        offer_id=new_id("off"),
        business_id=BUSINESS,
        stamps_required=5,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at=AT,
    )


def change(
    to: Pass, expected: int | None, request: IdempotentRequest | None = None, **also: Any
) -> PassChange:
    return PassChange(
        card=to,
        expected_version=expected,
        event=PassEvent("STAMP" if expected else "ENROLL", "someone", None, AT, to),
        answer=StoredAnswer(200, {"currentStamps": to.current_stamps}),
        request=request,
        **also,
    )


def test_a_commit_on_the_version_read_lands(store: PassStorePort) -> None:
    enrolled = card()
    store.commit(change(enrolled, None))
    stamped = award_stamp(enrolled, AT)
    store.commit(change(stamped, enrolled.version))
    assert store.get_pass(enrolled.customer_id, enrolled.offer_id) == stamped


def test_a_commit_on_a_stale_version_conflicts_and_writes_nothing(store: PassStorePort) -> None:
    enrolled = card()
    store.commit(change(enrolled, None))
    stamped = award_stamp(enrolled, AT)
    store.commit(change(stamped, enrolled.version))
    with pytest.raises(WriteConflict):
        store.commit(change(replace(stamped, current_stamps=4), enrolled.version))
    assert store.get_pass(enrolled.customer_id, enrolled.offer_id) == stamped


def test_a_pass_is_created_once(store: PassStorePort) -> None:
    enrolled = card()
    store.commit(change(enrolled, None))
    with pytest.raises(WriteConflict):
        store.commit(change(enrolled, None))


def test_a_business_meets_an_email_once(store: PassStorePort) -> None:
    first, second = card(), card()
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


def test_an_answer_is_kept_under_its_key_and_the_key_is_held(store: PassStorePort) -> None:
    enrolled = card()
    request = IdempotentRequest.of(BUSINESS, new_id("cus"), "scan", {"a": 1})
    store.commit(change(enrolled, None, request))
    remembered = store.snapshot(request=request).remembered
    assert remembered is not None
    assert remembered.answer == StoredAnswer(200, {"currentStamps": 0})
    with pytest.raises(WriteConflict):
        store.commit(change(award_stamp(enrolled, AT), enrolled.version, request))
    # A refusal offered for a held key gives way to the answer already kept.
    assert store.remember(request, StoredAnswer(409, {"refused": True}), AT) == StoredAnswer(
        200, {"currentStamps": 0}
    )
    other = IdempotentRequest.of(BUSINESS, request.key, "scan", {"a": 2})
    with pytest.raises(IdempotencyKeyReused):
        store.remember(other, StoredAnswer(409, {"refused": True}), AT)
