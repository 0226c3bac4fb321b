"""The scanner's work on a pass: read its status, award a stamp, confirm a prize.

Each change is read → decided by the domain → committed in one transaction conditional on the version read.
When another request got there first the whole step runs again on fresh data, so concurrent scans never lose or
double a stamp and two managers confirming one full card get one success and one 409."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from loyalty.app.idempotency import IdempotentRequest, StoredAnswer, replay
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.pass_answers import confirm_answer, pass_status_answer, scan_answer
from loyalty.app.ports import CredentialOnUpgrade, PassChange, PassEvent, PassStore, Snapshot, WriteConflict
from loyalty.app.retries import Backoff, conflict_backoff
from loyalty.domain import passes as cards
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import DomainError
from loyalty.domain.ids import is_id
from loyalty.domain.passes import Pass, PassBusy, PassNotFound
from loyalty.domain.tiers import TierLadder, tier_upgrade

MAX_ATTEMPTS = 80


@dataclass(frozen=True)
class Actor:
    """The manager (or owner) at the counter."""

    sub: str
    business_id: str
    branch_id: str | None


def _address(customer_id: str, offer_id: str) -> tuple[str, str]:
    # Garbage ids never reach the database: they name no pass.
    if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
        raise PassNotFound()
    return customer_id, offer_id


def _visible_pass(snap: Snapshot, actor: Actor) -> Pass:
    if snap.card is None:
        raise PassNotFound()
    if snap.card.business_id != actor.business_id:
        raise PassNotFound()
    return snap.card


def _ladder(snap: Snapshot) -> TierLadder:
    if snap.offer is None:
        return TierLadder.default()
    return snap.offer.ladder


def _run(
    store: PassStore,
    clock: Clock,
    request: IdempotentRequest | None,
    address: tuple[str, str],
    decide: Callable[[Snapshot], PassChange],
    backoff: Backoff,
    committed: Callable[[PassChange], None],
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
            try:
                return store.remember(request, StoredAnswer(refusal.status, refusal.body()), to_iso(clock()))
            except WriteConflict:
                backoff(attempt)
                continue
        try:
            store.commit(change)
        except WriteConflict:
            backoff(attempt)
            continue
        committed(change)
        return change.answer
    raise PassBusy()


def _request(
    actor: Actor, key: str | None, operation: str, address: tuple[str, str]
) -> IdempotentRequest | None:
    if key is None:
        return None
    payload = {"customerId": address[0], "offerId": address[1]}
    return IdempotentRequest.of(actor.business_id, key, operation, payload)


def pass_status(store: PassStore, actor: Actor, customer_id: str, offer_id: str) -> dict[str, Any]:
    address = _address(customer_id, offer_id)
    snap = store.snapshot(pass_key=address, offer_id=offer_id)
    return pass_status_answer(_visible_pass(snap, actor), _ladder(snap))


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
    address = _address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "scan", address)

    def decide(snap: Snapshot) -> PassChange:
        card = _visible_pass(snap, actor)
        at = to_iso(clock())
        stamped = cards.award_stamp(card, at)
        return PassChange(
            card=stamped,
            expected_version=card.version,
            event=PassEvent("STAMP", actor.sub, actor.branch_id, at, stamped, idempotency_key),
            answer=StoredAnswer(200, scan_answer(stamped, _ladder(snap))),
            request=request,
        )

    return _run(store, clock, request, address, decide, backoff, lambda _: count(BusinessEvent.STAMP))


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
    address = _address(customer_id, offer_id)
    request = _request(actor, idempotency_key, "confirm-prize", address)
    upgraded = False

    def decide(snap: Snapshot) -> PassChange:
        nonlocal upgraded
        card = _visible_pass(snap, actor)
        ladder = _ladder(snap)
        at = to_iso(clock())
        claimed = cards.claim_reward(card, at)
        upgrade = tier_upgrade(
            ladder.standing(card.rewards_claimed), ladder.standing(claimed.rewards_claimed)
        )
        upgraded = upgrade is not None
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
        )

    def committed(_: PassChange) -> None:
        count(BusinessEvent.PRIZE)
        if upgraded:
            count(BusinessEvent.TIER_UPGRADE)

    return _run(store, clock, request, address, decide, backoff, committed)
