"""A customer joins an offer (public): a new pass (201). One customer per business and email.

An email that already holds a pass for the offer (active or expired) is answered 202 VERIFICATION_SENT and
nothing of that pass: the form is public, so the pass goes to the address itself as a recovery link
(`app.pass_recovery`), which also brings an expired pass back."""

from __future__ import annotations

from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import ENROLL_SCOPE, IdempotentRequest, RememberedAnswer, Replayed, replay
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.passes.commands import Enroll
from loyalty.app.ports.passes import (
    AnswerRenderer,
    ChangeNote,
    NewCustomer,
    PassChange,
    PassStore,
    WriteConflict,
)
from loyalty.app.ports.wallets import WalletLinks, WalletsReady
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import is_id, new_id, new_secret_token
from loyalty.domain.offers import OfferArchived, OfferNotFound
from loyalty.domain.pass_results import AlreadyEnrolled, Enrolled
from loyalty.domain.passes import Pass, PassBusy

MAX_ATTEMPTS = 20


def enroll(
    store: PassStore,
    clock: Clock,
    command: Enroll,
    recovery: RecoveryMail,
    render: AnswerRenderer,
    wallet_links: WalletLinks | None = None,
    wallets_ready: WalletsReady | None = None,
    requester: str = "",
) -> Enrolled | AlreadyEnrolled | Replayed:
    """A new pass (`Enrolled`); `AlreadyEnrolled` when the email holds one already; under an Idempotency-Key, a
    retry's first answer (`Replayed`), which `render` made and the write kept. `requester` is the client's
    address: a known email's recovery mail is counted against it."""
    offer_id, idempotency_key = command.offer_id, command.idempotency_key
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    request = None
    if idempotency_key is not None:
        form = {
            "offerId": offer_id,
            "email": command.email,
            "name": command.name,
            "preferredLanguage": command.preferred_language,
            "marketingConsent": command.marketing_consent,
        }
        # One scope for every offer's enrollments: the key sent again to join another offer is another request,
        # 422 (decision 0020a); the offer is in the fingerprint.
        request = IdempotentRequest.of(ENROLL_SCOPE, idempotency_key, "enroll", form)

    for attempt in range(MAX_ATTEMPTS):
        snap = store.snapshot(offer_id=offer_id, request=request)
        if request is not None and isinstance(snap.remembered, RememberedAnswer):
            return Replayed(replay(request, snap.remembered))
        if snap.offer is None:
            raise OfferNotFound()
        offer = snap.offer
        if offer.archived:
            raise OfferArchived()
        at = to_iso(clock())
        known_id = store.snapshot(customer_of=(offer.business_id, command.email)).customer_id
        new_customer: NewCustomer | None = None
        existing: Pass | None = None
        if known_id is None:
            customer_id = new_id("cus")
            new_customer = NewCustomer(customer_id, offer.business_id, command.email, command.name, at)
        else:
            customer_id = known_id
            existing = store.get_pass(customer_id, offer_id)

        if existing is not None:
            recovery.send_link(existing, offer, at, requester)
            if request is None:
                return AlreadyEnrolled()
            kept = store.remember(request, render(AlreadyEnrolled()), at)
            return AlreadyEnrolled() if kept == render(AlreadyEnrolled()) else Replayed(kept)
        pass_ = pass_rules.new_pass(
            customer_id=customer_id,
            offer_id=offer_id,
            business_id=offer.business_id,
            stamps_required=offer.stamps_required,
            email=command.email,
            customer_name=command.name,
            preferred_language=command.preferred_language,
            pass_serial=new_secret_token(18),
            auth_token=new_secret_token(24),
            at=at,
            marketing_consent=command.marketing_consent,
        )
        links = wallet_links(pass_) if wallet_links else None
        result = Enrolled(pass_, offer.ladder.standing(pass_.rewards_claimed), links)
        change = PassChange(
            pass_=pass_,
            expected_version=None,
            note=ChangeNote("ENROLL", "customer", idempotency_key=idempotency_key),
            answer=render(result),
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
            wallets_ready(offer, pass_)
        return result
    raise PassBusy()
