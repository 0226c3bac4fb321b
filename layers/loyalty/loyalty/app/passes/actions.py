"""The scanner's work on a pass: read its status, award a stamp, take one back, confirm a prize.

A scan is one conditional write: the store's `stamp` holds the stamp's rules in its conditions, so concurrent
scans are serialised by DynamoDB itself and none is retried; a refused write returns the pass as it stood, and
the domain says why. Confirm-prize and void read the pass, let the domain decide, and commit on the version read;
when another request got there first they read again (a full card takes no scan, so only other confirms or voids
can race them). Every answer given under an Idempotency-Key, refusals included, is kept inside the pass with the
write and replayed to a retry. See docs/decisions/0012-the-scan-at-its-floor.md."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loyalty.app.idempotency import (
    IdempotencyKeyReused,
    IdempotentRequest,
    Remembered,
    RememberedAnswer,
    RememberedChange,
    StoredAnswer,
    replay,
)
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.passes.answers import confirm_answer, pass_status_answer, scan_answer, void_answer
from loyalty.app.ports.offers import OfferLookup
from loyalty.app.ports.passes import (
    ChangeNote,
    CredentialOnUpgrade,
    PassChange,
    PassStore,
    StampAttempt,
    WriteConflict,
)
from loyalty.app.retries import Backoff, conflict_backoff
from loyalty.domain import passes as cards
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import DomainError, FieldError, ValidationFailed
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassBusy, PassNotFound, PassStatus, Voider
from loyalty.domain.tiers import TierLadder, tier_upgrade

MAX_ATTEMPTS = 80
MAX_VOID_REASON_LENGTH = 200
# A retry of a stamp that others have moved past is answered from the stamp's audit event, which the ledger
# writes within about a second of the stamp: how long a retry that comes sooner waits for it.
REPLAY_WAIT_SECONDS = 3.0


@dataclass(frozen=True)
class Actor:
    """The manager (or owner) at the counter."""

    sub: str
    business_id: str
    branch_id: str | None
    is_owner: bool = False


def pass_address(customer_id: str, offer_id: str) -> tuple[str, str]:
    # Garbage ids never reach the database: they name no pass.
    if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
        raise PassNotFound()
    return customer_id, offer_id


def visible(card: Pass | None, actor: Actor) -> Pass:
    if card is None or card.status is PassStatus.ERASED or card.business_id != actor.business_id:
        raise PassNotFound()
    return card


def _ladder(offer: Offer | None) -> TierLadder:
    return offer.ladder if offer is not None else TierLadder.default()


def _offers(store: PassStore, offers: OfferLookup | None) -> OfferLookup:
    """The offer lookup a handler gives (cached), or a read through the store."""
    if offers is not None:
        return offers
    return lambda offer_id: store.snapshot(offer_id=offer_id).offer


def _request(
    actor: Actor,
    key: str | None,
    operation: str,
    address: tuple[str, str],
    extra: dict[str, Any] | None = None,
) -> IdempotentRequest | None:
    if key is None:
        return None
    payload = {"customerId": address[0], "offerId": address[1], **(extra or {})}
    return IdempotentRequest.of(actor.business_id, key, operation, payload)


def _kept_refusal(
    store: PassStore,
    request: IdempotentRequest | None,
    address: tuple[str, str],
    refusal: DomainError,
    at: str,
) -> StoredAnswer | None:
    """A refusal (a full card, an expired pass) as the key's first answer, kept in the pass: a retry of the same
    request gets it again and changes nothing, even once the card would allow it. Raised as it is without a key;
    None when another request used the key meanwhile (read again to replay its answer)."""
    if request is None or refusal.status >= 500:
        raise refusal
    try:
        return store.remember_on_pass(
            address, request, StoredAnswer(refusal.status, refusal.body(), refusal.headers), at
        )
    except WriteConflict:
        return None


def _replayed(
    store: PassStore,
    request: IdempotentRequest,
    address: tuple[str, str],
    remembered: Remembered,
    ladder: TierLadder,
    clock_seconds: Callable[[], float] = time.monotonic,
) -> StoredAnswer:
    """The key's first answer. A stamp's and a void's are drawn again from the pass as that change left it."""
    if isinstance(remembered, RememberedAnswer):
        return replay(request, remembered)
    if isinstance(remembered, RememberedChange):
        if request.operation != "void-stamp" or not request.fingerprint.startswith(remembered.fingerprint):
            raise IdempotencyKeyReused()
        draw: Callable[[Pass, TierLadder], dict[str, Any]] = void_answer
    elif request.operation != "scan":
        raise IdempotencyKeyReused()
    else:
        draw = scan_answer
    deadline = clock_seconds() + REPLAY_WAIT_SECONDS
    while True:
        card = store.pass_at_version(*address, remembered.version)
        if card is not None:
            return StoredAnswer(200, draw(card, ladder))
        if clock_seconds() >= deadline:
            raise PassBusy()
        time.sleep(0.1)


def _run(
    store: PassStore,
    clock: Clock,
    request: IdempotentRequest | None,
    address: tuple[str, str],
    ladder: TierLadder,
    decide: Callable[[Pass, str], PassChange],
    actor: Actor,
    backoff: Backoff,
) -> tuple[StoredAnswer, PassChange | None]:
    """Read the pass, decide, commit on the version read; on a conflict, wait and do it all again on fresh data.
    A request under an Idempotency-Key gets its key's first answer, be it a success or a refusal."""
    for attempt in range(MAX_ATTEMPTS):
        at = to_iso(clock())
        snap = store.snapshot(pass_key=address, request=request, at=at)
        if request is not None and snap.remembered is not None:
            return _replayed(store, request, address, snap.remembered, ladder), None
        card = visible(snap.card, actor)
        try:
            change = decide(card, at)
        except DomainError as refusal:
            kept = _kept_refusal(store, request, address, refusal, at)
            if kept is not None:
                return kept, None
            backoff(attempt)
            continue
        try:
            store.commit(change)
        except WriteConflict:
            backoff(attempt)
            continue
        return change.answer, change
    raise PassBusy()


def pass_status(
    store: PassStore, actor: Actor, customer_id: str, offer_id: str, *, offers: OfferLookup | None = None
) -> dict[str, Any]:
    address = pass_address(customer_id, offer_id)
    card = visible(store.snapshot(pass_key=address).card, actor)
    return pass_status_answer(card, _ladder(_offers(store, offers)(offer_id)))


def scan(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    idempotency_key: str | None = None,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    """One visit, one stamp: one conditional write, nothing read before it (the offer comes from the lookup)."""
    address = pass_address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "scan", address)
    offer = _offers(store, offers)(offer_id)
    ladder = _ladder(offer)
    required = offer.stamps_required if offer is not None else None
    cooldown = offer.min_minutes_between_stamps if offer is not None else 0
    note = ChangeNote("STAMP", actor.sub, actor.branch_id)

    def stamped_by_rules(card: Pass, at: str) -> Pass:
        return cards.award_stamp(
            card, at, actor.branch_id, offer_stamps_required=required, min_minutes_between_stamps=cooldown
        )

    at = to_iso(clock())
    try:
        outcome = store.stamp(
            StampAttempt(
                customer_id=customer_id,
                offer_id=offer_id,
                business_id=actor.business_id,
                at=at,
                note=note,
                offer_stamps_required=required,
                last_stamp_not_after=cards.cooldown_threshold(at, cooldown),
                request=request,
            )
        )
    except WriteConflict:
        outcome = None  # a pass from before this layout: the read-decide-commit way, below
    if outcome is not None:
        if outcome.stamped and outcome.card is not None:
            count(BusinessEvent.STAMP)
            return StoredAnswer(200, scan_answer(outcome.card, ladder))
        if request is not None and outcome.remembered is not None:
            return _replayed(store, request, address, outcome.remembered, ladder)
        card = visible(outcome.card, actor)  # 404 before anything is kept: it is no key's answer
        try:
            stamped_by_rules(card, at)
        except DomainError as refusal:
            kept = _kept_refusal(store, request, address, refusal, at)
            if kept is not None:
                return kept
            # None: the key was used meanwhile, and the way below replays its answer.
        # Otherwise the rules allow the stamp but the one write could not say so (the cycle starts on an
        # offer requirement that changed): the read-decide-commit way.

    def decide(card: Pass, at: str) -> PassChange:
        stamped = stamped_by_rules(card, at)
        return PassChange(
            card=stamped,
            expected_version=card.version,
            note=note,
            answer=StoredAnswer(200, scan_answer(stamped, ladder)),
            request=request,
            # The cooldown is re-checked by the write itself: a stamp that landed since the read fails it.
            last_stamp_not_after=cards.cooldown_threshold(at, cooldown),
        )

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff)
    if change is not None:
        count(BusinessEvent.STAMP)
    return answer


def confirm_prize(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    idempotency_key: str | None = None,
    on_upgrade: CredentialOnUpgrade | None = None,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    """The prize was handed over: one read of the pass and one write on its version (with the credential
    issuance in the same transaction when the claim crosses a tier)."""
    address = pass_address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "confirm-prize", address)
    offer = _offers(store, offers)(offer_id)
    ladder = _ladder(offer)

    def decide(card: Pass, at: str) -> PassChange:
        claimed = cards.claim_reward(card, at, offer.stamps_required if offer is not None else None)
        upgrade = tier_upgrade(
            ladder.standing(card.rewards_claimed), ladder.standing(claimed.rewards_claimed)
        )
        issuance = (
            on_upgrade(claimed, upgrade, at) if (upgrade is not None and on_upgrade is not None) else None
        )
        return PassChange(
            card=claimed,
            expected_version=card.version,
            note=ChangeNote("PRIZE", actor.sub, actor.branch_id, tier_upgrade=upgrade is not None),
            answer=StoredAnswer(
                200, confirm_answer(claimed, ladder, upgrade, issuance.answer() if issuance else None)
            ),
            request=request,
            issuance=issuance,
        )

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff)
    if change is not None:
        count(BusinessEvent.PRIZE)
        if change.note.tier_upgrade:
            count(BusinessEvent.TIER_UPGRADE)
    return answer


def parse_void_reason(body: object) -> str | None:
    """The void body's optional reason (≤ 200 characters), every problem reported at once."""
    if body is None:
        return None
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    unknown = [FieldError(str(key), "is not a field of a void") for key in body if key != "reason"]
    reason = body.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason.strip()) > MAX_VOID_REASON_LENGTH):
        unknown.append(FieldError("reason", f"must be text of at most {MAX_VOID_REASON_LENGTH} characters"))
    if unknown:
        raise ValidationFailed(unknown)
    return reason.strip() or None if isinstance(reason, str) else None


def void_stamp(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    body: object,
    idempotency_key: str | None = None,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    """Take back the last stamp of the cycle under way: read → decide → one write on the version read, so of
    twenty voids racing on a one-stamp card exactly one succeeds and the others see 0 stamps."""
    address = pass_address(customer_id, offer_id)
    reason = parse_void_reason(body)
    request = _request(actor, idempotency_key, "void-stamp", address, {"reason": reason})
    ladder = _ladder(_offers(store, offers)(offer_id))

    def decide(card: Pass, at: str) -> PassChange:
        voided = cards.void_stamp(card, at, Voider(actor.is_owner, actor.branch_id))
        return PassChange(
            card=voided,
            expected_version=card.version,
            note=ChangeNote("VOID", actor.sub, actor.branch_id, reason),
            answer=StoredAnswer(200, void_answer(voided, ladder)),
            request=request,
        )

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff)
    if change is not None:
        count(BusinessEvent.STAMP_VOIDED)
    return answer
