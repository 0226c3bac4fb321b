"""Enrollment against the in-memory pass store: one customer per business and email, whoever gets there first."""

from __future__ import annotations

from loyalty.app.enrollment import EnrollmentRequest, enroll
from loyalty.app.idempotency import StoredAnswer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.google_service_account import sample_offer

OFFER = sample_offer()
FORM = EnrollmentRequest(email="  Jane.Doe@Example.com ", name="Jane")


def test_two_enrollments_of_one_email_at_once_make_one_customer_and_one_pass() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    theirs: list[StoredAnswer] = []
    store.meanwhile.append(lambda shared: theirs.append(enroll(shared, clock, OFFER.offer_id, FORM)))

    ours = enroll(store, clock, OFFER.offer_id, FORM)

    (first,) = theirs
    assert (first.status, ours.status) == (201, 200)
    assert ours.body["customerId"] == first.body["customerId"]
    assert list(store.customers) == [(OFFER.business_id, "jane.doe@example.com")]
    assert len(store.passes) == 1
    assert [event.kind for event in store.events] == ["ENROLL"]


def test_an_enrollment_retried_with_its_key_is_answered_as_the_first_time() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    first = enroll(store, clock, OFFER.offer_id, FORM, "form-submit-1")
    again = enroll(store, clock, OFFER.offer_id, FORM, "form-submit-1")
    assert again == first
    assert first.status == 201
    assert len(store.events) == 1
