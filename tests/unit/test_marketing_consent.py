"""Marketing consent: unticked unless the customer says yes, kept with its time, changeable from the pass's back
link or a recovery link, never by a link that is not the pass's own."""

from __future__ import annotations

import pytest

from loyalty.app.customers.consent import MailedLink, PassLink, marketing_consent
from loyalty.domain.clock import to_iso
from loyalty.domain.consent import PreferencesLinkNotFound, preferences_token, preferences_url
from loyalty.domain.passes import erase
from loyalty.domain.recovery import LinkExpired
from loyalty.entrypoints.http.contract import EnrollmentRequest
from tests.support.fakes import FrozenClock, InMemoryPassStore, touched_by_another_writer
from tests.support.google_service_account import sample_offer
from tests.support.pass_actions import enroll
from tests.unit.test_enrollment_races import Outbox

OFFER = sample_offer()


def _enrolled(
    store: InMemoryPassStore, clock: FrozenClock, outbox: Outbox, **form: object
) -> tuple[str, str]:
    answer = enroll(
        store,
        clock,
        OFFER.offer_id,
        EnrollmentRequest.model_validate({"name": "Jane", **form}),
        outbox.recovery(),
    )
    assert answer.status == 201
    return str(answer.body["customerId"]), OFFER.offer_id


def _scene() -> tuple[InMemoryPassStore, FrozenClock, Outbox]:
    clock = FrozenClock()
    store = InMemoryPassStore(clock)
    store.add_offer(OFFER)
    return store, clock, Outbox()


def test_the_answer_is_no_unless_the_customer_ticks_it_and_its_time_is_kept() -> None:
    store, clock, outbox = _scene()
    quiet = _enrolled(store, clock, outbox, email="quiet@example.com")
    keen = _enrolled(store, clock, outbox, email="keen@example.com", marketingConsent=True)

    assert store.passes[quiet].marketing_consent is False
    assert store.passes[keen].marketing_consent is True
    assert (
        store.passes[quiet].marketing_consent_at == store.passes[keen].marketing_consent_at == to_iso(clock())
    )


@pytest.mark.parametrize("said", ["yes", 1, "true", None])
def test_anything_but_true_or_false_is_refused_not_guessed(said: object) -> None:
    with pytest.raises(ValueError, match="marketingConsent"):
        EnrollmentRequest.model_validate({"email": "a@example.com", "name": "A", "marketingConsent": said})


def test_the_pass_back_link_reads_and_changes_the_answer_and_keeps_when() -> None:
    store, clock, outbox = _scene()
    address = _enrolled(store, clock, outbox, email="jane@example.com")
    pass_ = store.passes[address]
    link = PassLink(pass_.customer_id, pass_.offer_id, preferences_token(pass_))
    assert preferences_url("https://app.example/", pass_) == (
        f"https://app.example/pass/preferences?customerId={pass_.customer_id}&offerId={pass_.offer_id}"
        f"&token={preferences_token(pass_)}"
    )

    assert marketing_consent(store, store, outbox, clock, link, None).pass_.marketing_consent is False
    clock.advance(days=3)
    answer = marketing_consent(store, store, outbox, clock, link, True)

    assert answer.pass_.marketing_consent is True
    assert answer.pass_.marketing_consent_at == to_iso(clock())
    changed = store.passes[address]
    assert (changed.marketing_consent, changed.last_activity_at) == (True, pass_.last_activity_at)
    # No event of the pass: its history and stats do not move.
    assert [event.kind for event in store.events] == ["ENROLL"]


def test_a_change_landing_after_another_write_is_made_on_the_new_version() -> None:
    store, clock, outbox = _scene()
    address = _enrolled(store, clock, outbox, email="jane@example.com")
    pass_ = store.passes[address]
    store.meanwhile.append(lambda shared: touched_by_another_writer(shared, *address))

    marketing_consent(store, store, outbox, clock, PassLink(*address, preferences_token(pass_)), True)

    assert store.passes[address].marketing_consent is True
    assert store.passes[address].version == pass_.version + 2


@pytest.mark.parametrize(
    "wrong",
    [
        lambda pass_: PassLink(pass_.customer_id, pass_.offer_id, "x" * 32),
        lambda pass_: PassLink(pass_.customer_id, pass_.offer_id, preferences_token(pass_)[:-1]),
        lambda pass_: PassLink("cus_" + "a" * 26, pass_.offer_id, preferences_token(pass_)),
        lambda pass_: PassLink("not an id", pass_.offer_id, preferences_token(pass_)),
    ],
)
def test_a_link_that_is_not_the_pass_own_changes_nothing(wrong) -> None:  # type: ignore[no-untyped-def]
    store, clock, outbox = _scene()
    address = _enrolled(store, clock, outbox, email="jane@example.com")
    before = store.passes[address]

    with pytest.raises(PreferencesLinkNotFound):
        marketing_consent(store, store, outbox, clock, wrong(before), True)
    assert store.passes[address] == before


def test_an_erased_customer_link_names_nobody() -> None:
    store, clock, outbox = _scene()
    address = _enrolled(store, clock, outbox, email="jane@example.com")
    pass_ = store.passes[address]
    store.passes[address] = erase(pass_, to_iso(clock()))

    with pytest.raises(PreferencesLinkNotFound):
        marketing_consent(store, store, outbox, clock, PassLink(*address, preferences_token(pass_)), True)


def test_a_recovery_link_changes_it_while_the_link_is_fresh() -> None:
    store, clock, outbox = _scene()
    address = _enrolled(store, clock, outbox, email="jane@example.com")
    # Enrolling again mails a recovery link; its token is what the mail carries.
    enroll(
        store,
        clock,
        OFFER.offer_id,
        EnrollmentRequest(email="jane@example.com", name="Jane"),
        outbox.recovery(),
    )
    (mail,) = outbox.mails
    token = mail.text.split("token=")[1].split()[0]

    assert (
        marketing_consent(store, store, outbox, clock, MailedLink(token), True).pass_.marketing_consent
        is True
    )
    assert store.passes[address].marketing_consent is True
    with pytest.raises(PreferencesLinkNotFound):
        marketing_consent(store, store, outbox, clock, MailedLink("z" * 43), False)
    clock.advance(hours=25)
    with pytest.raises(LinkExpired):
        marketing_consent(store, store, outbox, clock, MailedLink(token), False)
    assert store.passes[address].marketing_consent is True
