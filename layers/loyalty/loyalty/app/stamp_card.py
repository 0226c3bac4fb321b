"""The scanner's work on a pass: read its status, award a stamp, take one back, confirm a prize.

Each change is read → decided by the domain → committed in one transaction conditional on the version read.
When another request got there first the whole step runs again on fresh data, so concurrent scans never lose or
double a stamp and two managers confirming one full card get one success and one 409."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loyalty.app.idempotency import IdempotentRequest, StoredAnswer, replay
from loyalty.app.pass_answers import confirm_answer, pass_status_answer, scan_answer, void_answer
from loyalty.app.ports import CredentialOnUpgrade, PassChange, PassEvent, PassStore, Snapshot, WriteConflict
from loyalty.app.retries import Backoff, conflict_backoff
from loyalty.domain import passes as cards
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import DomainError, FieldError, ValidationFailed
from loyalty.domain.ids import is_id
from loyalty.domain.offers import DEFAULT_TIMEZONE
from loyalty.domain.passes import Pass, PassBusy, PassNotFound, PassStatus, Voider
from loyalty.domain.tiers import TierLadder, tier_upgrade

MAX_ATTEMPTS = 80
MAX_VOID_REASON_LENGTH = 200


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


def visible_pass(snap: Snapshot, actor: Actor) -> Pass:
    if snap.card is None or snap.card.status is PassStatus.ERASED:
        raise PassNotFound()
    if snap.card.business_id != actor.business_id:
        raise PassNotFound()
    return snap.card


def _ladder(snap: Snapshot) -> TierLadder:
    if snap.offer is None:
        return TierLadder.default()
    return snap.offer.ladder


def _timezone(snap: Snapshot) -> str:
    return snap.offer.timezone if snap.offer is not None else DEFAULT_TIMEZONE


def _run(
    store: PassStore,
    clock: Clock,
    request: IdempotentRequest | None,
    address: tuple[str, str],
    decide: Callable[[Snapshot], PassChange],
    backoff: Backoff,
) -> StoredAnswer:
    """Read, decide, commit on the version read; on a conflict, wait and do it all again on fresh data. A request
    under an Idempotency-Key gets its key's first answer, be it a success or a refusal."""
    for attempt in range(MAX_ATTEMPTS):
        snap = store.snapshot(pass_key=address, offer_id=address[1], request=request)
        if request is not None and snap.remembered is not None:
            return replay(request, snap.remembered)
        try:
            change = decide(snap)
        except DomainError as refusal:
            if request is None or refusal.status >= 500:
                raise
            # The key's first answer is this refusal (a full card, an expired pass): a retry of the same
            # request gets it again and changes nothing, even once the card would allow it.
            refused = StoredAnswer(refusal.status, refusal.body(), refusal.headers)
            try:
                return store.remember(request, refused, to_iso(clock()))
            except WriteConflict:
                backoff(attempt)
                continue
        try:
            store.commit(change)
        except WriteConflict:
            backoff(attempt)
            continue
        return change.answer
    raise PassBusy()


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


def pass_status(store: PassStore, actor: Actor, customer_id: str, offer_id: str) -> dict[str, Any]:
    address = pass_address(customer_id, offer_id)
    snap = store.snapshot(pass_key=address, offer_id=offer_id)
    return pass_status_answer(visible_pass(snap, actor), _ladder(snap))


def scan(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    idempotency_key: str | None = None,
    *,
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    address = pass_address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "scan", address)

    def decide(snap: Snapshot) -> PassChange:
        card = visible_pass(snap, actor)
        offer = snap.offer
        at = to_iso(clock())
        cooldown = offer.min_minutes_between_stamps if offer is not None else 0
        stamped = cards.award_stamp(
            card,
            at,
            actor.branch_id,
            offer_stamps_required=offer.stamps_required if offer is not None else None,
            min_minutes_between_stamps=cooldown,
        )
        return PassChange(
            card=stamped,
            expected_version=card.version,
            event=PassEvent("STAMP", actor.sub, actor.branch_id, at, stamped, idempotency_key),
            answer=StoredAnswer(200, scan_answer(stamped, _ladder(snap))),
            request=request,
            before=card,
            timezone=_timezone(snap),
            # The cooldown is re-checked by the write itself: a stamp that landed since the read fails it.
            last_stamp_not_after=cards.cooldown_threshold(at, cooldown),
        )

    return _run(store, clock, request, address, decide, backoff)


def confirm_prize(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    idempotency_key: str | None = None,
    on_upgrade: CredentialOnUpgrade | None = None,
    *,
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    address = pass_address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "confirm-prize", address)

    def decide(snap: Snapshot) -> PassChange:
        card = visible_pass(snap, actor)
        offer = snap.offer
        ladder = _ladder(snap)
        at = to_iso(clock())
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
            event=PassEvent("PRIZE", actor.sub, actor.branch_id, at, claimed, idempotency_key),
            answer=StoredAnswer(
                200, confirm_answer(claimed, ladder, upgrade, issuance.answer() if issuance else None)
            ),
            request=request,
            issuance=issuance,
            before=card,
            timezone=_timezone(snap),
            tier_upgrade=upgrade is not None,
        )

    return _run(store, clock, request, address, decide, backoff)


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
    backoff: Backoff = conflict_backoff,
) -> StoredAnswer:
    """Take back the last stamp of the cycle under way: the same read → decide → one conditional transaction as
    a scan, so of twenty voids racing on a one-stamp card exactly one succeeds and the others see 0 stamps."""
    address = pass_address(customer_id, offer_id)
    reason = parse_void_reason(body)
    request = _request(actor, idempotency_key, "void-stamp", address, {"reason": reason})

    def decide(snap: Snapshot) -> PassChange:
        card = visible_pass(snap, actor)
        at = to_iso(clock())
        voided = cards.void_stamp(card, at, Voider(actor.is_owner, actor.branch_id))
        return PassChange(
            card=voided,
            expected_version=card.version,
            event=PassEvent("VOID", actor.sub, actor.branch_id, at, voided, idempotency_key, reason),
            answer=StoredAnswer(200, void_answer(voided, _ladder(snap))),
            request=request,
            before=card,
            timezone=_timezone(snap),
        )

    return _run(store, clock, request, address, decide, backoff)
