"""Enrollment against the in-memory pass store: one customer per business and email, whoever gets there first."""

from __future__ import annotations

from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import StoredAnswer
from loyalty.app.ports.customers import AddressRefused
from loyalty.domain.recovery import Mail, RecoveryLink
from loyalty.entrypoints.http.contract import EnrollmentRequest
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.google_service_account import sample_offer
from tests.support.pass_actions import enroll

OFFER = sample_offer()
FORM = EnrollmentRequest(email="  Jane.Doe@Example.com ", name="Jane")


class Outbox:
    """Recovery links and mails, kept in memory."""

    def __init__(self) -> None:
        self.links: list[RecoveryLink] = []
        self.mails: list[Mail] = []

    def create(self, link: RecoveryLink) -> None:
        self.links.append(link)

    def find(self, token_digest: str) -> RecoveryLink | None:
        return next((link for link in self.links if link.token_digest == token_digest), None)

    def send(self, mail: Mail) -> None:
        self.mails.append(mail)

    def recovery(self) -> RecoveryMail:
        return RecoveryMail(self, self, "https://app.example", may_mail=lambda _pass, _requester: True)


def test_two_enrollments_of_one_email_at_once_make_one_customer_and_one_pass() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    outbox = Outbox()
    theirs: list[StoredAnswer] = []
    store.meanwhile.append(
        lambda shared: theirs.append(enroll(shared, clock, OFFER.offer_id, FORM, outbox.recovery()))
    )

    ours = enroll(store, clock, OFFER.offer_id, FORM, outbox.recovery())

    (first,) = theirs
    # The second one finds the email enrolled: nothing of the pass in its answer, a recovery link by mail.
    assert (first.status, ours.status) == (201, 202)
    assert ours.body == {"success": True, "status": "VERIFICATION_SENT"}
    assert [mail.to for mail in outbox.mails] == ["jane.doe@example.com"]
    assert [link.customer_id for link in outbox.links] == [first.body["customerId"]]
    assert list(store.customers) == [(OFFER.business_id, "jane.doe@example.com")]
    assert len(store.passes) == 1
    assert [event.kind for event in store.events] == ["ENROLL"]


def test_an_enrollment_retried_with_its_key_is_answered_as_the_first_time() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    outbox = Outbox()
    first = enroll(store, clock, OFFER.offer_id, FORM, outbox.recovery(), "form-submit-1")
    again = enroll(store, clock, OFFER.offer_id, FORM, outbox.recovery(), "form-submit-1")
    assert again == first
    assert first.status == 201
    assert len(store.events) == 1


def test_a_never_mailing_recovery_mail_enrolls_and_answers_a_member_without_mailing() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    silent = RecoveryMail.never_mailing()
    first = enroll(store, clock, OFFER.offer_id, FORM, silent)
    again = enroll(store, clock, OFFER.offer_id, FORM, silent)
    # The member's second enroll is the same 202; its mail is past the allowance, so no link or mail is made.
    assert (first.status, again.status) == (201, 202)
    assert again.body == {"success": True, "status": "VERIFICATION_SENT"}
    assert silent.may_mail(store.get_pass(first.body["customerId"], OFFER.offer_id), "203.0.113.7") is False


class RefusingOutbox(Outbox):
    """A mail service that refuses the recipient's address itself (SES's InvalidParameterValue)."""

    def send(self, mail: Mail) -> None:
        raise AddressRefused("refused")


def test_an_enrolled_email_no_mail_can_reach_gets_the_same_202_and_nothing_of_the_pass() -> None:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    outbox = RefusingOutbox()
    enroll(store, clock, OFFER.offer_id, FORM, outbox.recovery())
    again = enroll(store, clock, OFFER.offer_id, FORM, outbox.recovery())
    assert again.status == 202
    assert again.body == {"success": True, "status": "VERIFICATION_SENT"}
    assert outbox.mails == []
