"""A customer joins an offer (public): a new pass (201). One customer per business and email.

An email that already holds a pass for the offer (active or expired) is answered 202 VERIFICATION_SENT and
nothing of that pass: the form is public, so the pass goes to the address itself as a recovery link
(`app.pass_recovery`), which also brings an expired pass back."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import IdempotentRequest, RememberedAnswer, StoredAnswer, replay
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.passes.answers import enrollment_answer
from loyalty.app.ports.passes import ChangeNote, NewCustomer, PassChange, PassStore, WriteConflict
from loyalty.app.ports.wallets import WalletLinks, WalletsReady
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as cards
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.customers import email_pattern, name_pattern, parse_email, parse_name
from loyalty.domain.ids import is_id, new_id, new_secret_token
from loyalty.domain.offers import OfferArchived, OfferNotFound
from loyalty.domain.passes import Pass, PassBusy

MAX_ATTEMPTS = 20
VERIFICATION_SENT: dict[str, Any] = {"success": True, "status": "VERIFICATION_SENT"}


class EnrollmentRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    # The patterns document parse_email's and parse_name's rules (the validators below are what checks them).
    email: str = Field(min_length=6, max_length=254, json_schema_extra={"pattern": email_pattern()})
    name: str = Field(min_length=1, max_length=80, json_schema_extra={"pattern": name_pattern()})
    preferredLanguage: Literal["en", "ar"] = "en"
    # Offers and news on the card (campaigns): unticked unless the customer ticks it; its time is kept.
    marketingConsent: StrictBool = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return parse_email(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return parse_name(value)


def enroll(
    store: PassStore,
    clock: Clock,
    offer_id: str,
    form: EnrollmentRequest,
    recovery: RecoveryMail,
    idempotency_key: str | None = None,
    wallet_links: WalletLinks | None = None,
    wallets_ready: WalletsReady | None = None,
    requester: str = "",
) -> StoredAnswer:
    """`requester` is the client's address: a known email's recovery mail is counted against it."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    request = None
    if idempotency_key is not None:
        request = IdempotentRequest.of(f"{offer_id}#enroll", idempotency_key, "enroll", form.model_dump())

    for attempt in range(MAX_ATTEMPTS):
        snap = store.snapshot(offer_id=offer_id, request=request)
        if request is not None and isinstance(snap.remembered, RememberedAnswer):
            return replay(request, snap.remembered)
        if snap.offer is None:
            raise OfferNotFound()
        offer = snap.offer
        if offer.archived:
            raise OfferArchived()
        at = to_iso(clock())
        known_id = store.snapshot(customer_of=(offer.business_id, form.email)).customer_id
        new_customer: NewCustomer | None = None
        existing: Pass | None = None
        if known_id is None:
            customer_id = new_id("cus")
            new_customer = NewCustomer(customer_id, offer.business_id, form.email, form.name, at)
        else:
            customer_id = known_id
            existing = store.get_pass(customer_id, offer_id)

        if existing is not None:
            recovery.send_link(existing, offer, at, requester)
            sent = StoredAnswer(202, VERIFICATION_SENT)
            return store.remember(request, sent, at) if request is not None else sent
        card = cards.new_pass(
            customer_id=customer_id,
            offer_id=offer_id,
            business_id=offer.business_id,
            stamps_required=offer.stamps_required,
            email=form.email,
            customer_name=form.name,
            preferred_language=form.preferredLanguage,
            pass_serial=new_secret_token(18),
            auth_token=new_secret_token(24),
            at=at,
            marketing_consent=form.marketingConsent,
        )
        links = wallet_links(card) if wallet_links else None
        result = StoredAnswer(201, enrollment_answer(card, offer.ladder, links))
        change = PassChange(
            card=card,
            expected_version=None,
            note=ChangeNote("ENROLL", "customer", idempotency_key=idempotency_key),
            answer=result,
            request=request,
            new_customer=new_customer,
        )
        try:
            store.commit(change)
        except WriteConflict:
            conflict_backoff(attempt)
            continue
        count(BusinessEvent.ENROLLMENT)
        if wallets_ready is not None:
            # After the commit (a lost race must not leave a wallet object of a pass that was never made).
            wallets_ready(offer, card)
        return result
    raise PassBusy()
