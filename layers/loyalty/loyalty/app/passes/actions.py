"""The scanner's work on a pass: read its status, award a stamp, take one back, confirm a prize, reactivate it.

A scan is one conditional write: the store's `stamp` holds the stamp's rules in its conditions, so concurrent
scans are serialised by DynamoDB itself and none is retried; a refused write returns the pass as it stood, and
the domain says why. Confirm-prize and void read the pass, let the domain decide, and commit on the version read;
when another request got there first they read again (a full card takes no scan, so only other confirms or voids
can race them). Every answer given under an Idempotency-Key, refusals included, is kept inside the pass with the
write and replayed to a retry. See docs/decisions/0012-the-scan-at-its-floor.md.

Each action takes a command (commands.py) and returns a domain result (domain/pass_results.py), or a retry's
`Replayed` first answer, or raises a domain error; the HTTP edge renders them. The `render` each action is given is
that same renderer: what the key keeps is exactly what the first request was answered."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from loyalty.app.idempotency import (
    IdempotencyKeyReused,
    IdempotentRequest,
    Remembered,
    RememberedAnswer,
    RememberedChange,
    Replayed,
    StoredAnswer,
    replay,
)
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.passes.commands import Actor, ConfirmPrize, Reactivate, ReadPass, Scan, VoidStamp
from loyalty.app.passes.key_claims import hold_key
from loyalty.app.ports.offers import OfferLookup
from loyalty.app.ports.passes import (
    AnswerRenderer,
    ChangeNote,
    CredentialOnUpgrade,
    PassChange,
    PassStore,
    StampAttempt,
    WriteConflict,
)
from loyalty.app.retries import Backoff, conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import DomainError
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import PassRead, PassResult, PrizeClaimed, StampAwarded, StampVoided
from loyalty.domain.passes import Pass, PassBusy, PassNotFound, PassStatus, Voider
from loyalty.domain.tiers import TierLadder, tier_upgrade

MAX_ATTEMPTS = 80

Result = TypeVar("Result", bound=PassResult)


def pass_address(customer_id: str, offer_id: str) -> tuple[str, str]:
    # Garbage ids never reach the database: they name no pass.
    if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
        raise PassNotFound()
    return customer_id, offer_id


def visible(pass_: Pass | None, actor: Actor) -> Pass:
    if pass_ is None or pass_.status is PassStatus.ERASED or pass_.business_id != actor.business_id:
        raise PassNotFound()
    return pass_


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
    render: AnswerRenderer,
) -> Replayed | None:
    """A refusal (a full card, an expired pass) kept as the key's first answer, in the pass: a retry of the same
    request gets it again and changes nothing, even once the card would allow it. Raised once kept (or at once,
    without a key); a replay when another request with the key got there first; None when that request's answer
    is not readable yet (read again)."""
    if request is None:
        raise refusal
    answer = render(refusal)
    try:
        kept = store.remember_on_pass(address, request, StoredAnswer(answer.status, answer.body), at)
    except WriteConflict:
        return None
    if (kept.status, kept.body) == (answer.status, answer.body):
        raise refusal
    return Replayed(kept)


def _replayed(
    store: PassStore,
    request: IdempotentRequest,
    address: tuple[str, str],
    remembered: Remembered,
    ladder: TierLadder,
    render: AnswerRenderer,
    pass_: Pass | None,
) -> Replayed:
    """The key's first answer. A stamp's is drawn again from the counts its own write kept beside the key; a void's
    from the pass at the version it made, read once (while the ledger has not written that version's event the
    scanner is told to retry). Nothing waits on the stream."""
    if isinstance(remembered, RememberedAnswer):
        return Replayed(replay(request, remembered))
    if isinstance(remembered, RememberedChange):
        if request.operation != "void-stamp" or not request.fingerprint.startswith(remembered.fingerprint):
            raise IdempotencyKeyReused()
        voided = store.pass_at_version(*address, remembered.version)
        if voided is None:
            raise PassBusy()
        return Replayed(render(StampVoided(voided, ladder.standing(voided.rewards_claimed))))
    if request.operation != "scan":
        raise IdempotencyKeyReused()
    if (
        pass_ is not None
        and remembered.current_stamps is not None
        and remembered.stamps_required is not None
        and remembered.rewards_claimed is not None
    ):
        kept = replace(
            pass_,
            current_stamps=remembered.current_stamps,
            stamps_required=remembered.stamps_required,
            rewards_claimed=remembered.rewards_claimed,
            version=pass_.version if remembered.version is None else remembered.version,
        )
        return Replayed(render(StampAwarded(kept, ladder.standing(kept.rewards_claimed))))
    # A key kept by the release before the counts (at most three days old): the pass at that version, read
    # once. Nothing waits for the ledger: while it has not written that version's event, the scanner retries.
    at_version = None if remembered.version is None else store.pass_at_version(*address, remembered.version)
    if at_version is None:
        raise PassBusy()
    return Replayed(render(StampAwarded(at_version, ladder.standing(at_version.rewards_claimed))))


def _run(
    store: PassStore,
    clock: Clock,
    request: IdempotentRequest | None,
    address: tuple[str, str],
    ladder: TierLadder,
    decide: Callable[[Pass, str], tuple[PassChange, Result]],
    actor: Actor,
    backoff: Backoff,
    render: AnswerRenderer,
) -> tuple[Result | Replayed, PassChange | None]:
    """Read the pass, decide, commit on the version read; on a conflict, wait and do it all again on fresh data.
    A request under an Idempotency-Key gets its key's first answer, be it a success or a refusal."""
    for attempt in range(MAX_ATTEMPTS):
        at = to_iso(clock())
        snap = store.snapshot(pass_key=address, request=request, at=at)
        if request is not None and snap.remembered is not None:
            return _replayed(store, request, address, snap.remembered, ladder, render, snap.pass_), None
        pass_ = visible(snap.pass_, actor)
        try:
            change, result = decide(pass_, at)
        except DomainError as refusal:
            replayed = _kept_refusal(store, request, address, refusal, at, render)
            if replayed is not None:
                return replayed, None
            backoff(attempt)
            continue
        try:
            store.commit(change)
        except WriteConflict:
            backoff(attempt)
            continue
        return result, change
    raise PassBusy()


def pass_status(store: PassStore, command: ReadPass, *, offers: OfferLookup | None = None) -> PassRead:
    address = pass_address(command.customer_id, command.offer_id)
    pass_ = visible(store.snapshot(pass_key=address).pass_, command.actor)
    offer = _offers(store, offers)(command.offer_id)
    return PassRead(pass_, _ladder(offer).standing(pass_.rewards_claimed), offer)


def scan(
    store: PassStore,
    clock: Clock,
    command: Scan,
    render: AnswerRenderer,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> StampAwarded | Replayed:
    """One visit, one stamp: one conditional write, nothing read before it (the offer comes from the lookup)."""
    actor, customer_id, offer_id = command.actor, command.customer_id, command.offer_id
    address = pass_address(customer_id, offer_id)
    request = _request(actor, command.idempotency_key, "scan", address)
    # A key of another pass is 422 before anything is read or written (decision 0020a).
    hold_key(store, request, address, to_iso(clock()))
    offer = _offers(store, offers)(offer_id)
    ladder = _ladder(offer)
    required = offer.stamps_required if offer is not None else None
    cooldown = offer.min_minutes_between_stamps if offer is not None else 0
    note = ChangeNote("STAMP", actor.sub, actor.branch_id)

    def stamped_by_rules(pass_: Pass, at: str) -> Pass:
        return pass_rules.award_stamp(
            pass_, at, actor.branch_id, offer_stamps_required=required, min_minutes_between_stamps=cooldown
        )

    at = to_iso(clock())
    outcome = store.stamp(
        StampAttempt(
            customer_id=customer_id,
            offer_id=offer_id,
            business_id=actor.business_id,
            at=at,
            note=note,
            offer_stamps_required=required,
            last_stamp_not_after=pass_rules.cooldown_threshold(at, cooldown),
            request=request,
        )
    )
    if outcome.stamped and outcome.pass_ is not None:
        count(BusinessEvent.STAMP)
        return StampAwarded(outcome.pass_, ladder.standing(outcome.pass_.rewards_claimed))
    if request is not None and outcome.remembered is not None:
        return _replayed(store, request, address, outcome.remembered, ladder, render, outcome.pass_)
    pass_ = visible(outcome.pass_, actor)  # 404 before anything is kept: it is no key's answer
    try:
        stamped_by_rules(pass_, at)
    except DomainError as refusal:
        replayed = _kept_refusal(store, request, address, refusal, at, render)
        if replayed is not None:
            return replayed
        # None: the key was used meanwhile, and the way below replays its answer.
    # Otherwise the rules allow the stamp but the one write could not say so (the cycle starts on an offer
    # requirement that changed, StampRule.CYCLE_ON_OFFER_REQUIREMENT): the read-decide-commit way.

    def decide(pass_: Pass, at: str) -> tuple[PassChange, StampAwarded]:
        stamped = stamped_by_rules(pass_, at)
        result = StampAwarded(stamped, ladder.standing(stamped.rewards_claimed))
        change = PassChange(
            pass_=stamped,
            expected_version=pass_.version,
            note=note,
            answer=render(result),
            request=request,
            # The cooldown is re-checked by the write itself: a stamp that landed since the read fails it.
            last_stamp_not_after=pass_rules.cooldown_threshold(at, cooldown),
        )
        return change, result

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff, render)
    if change is not None:
        count(BusinessEvent.STAMP)
    return answer


def confirm_prize(
    store: PassStore,
    clock: Clock,
    command: ConfirmPrize,
    render: AnswerRenderer,
    on_upgrade: CredentialOnUpgrade | None = None,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> PrizeClaimed | Replayed:
    """The prize was handed over: one read of the pass and one write on its version (with the credential
    issuance in the same transaction when the claim crosses a tier)."""
    actor = command.actor
    address = pass_address(command.customer_id, command.offer_id)
    request = _request(actor, command.idempotency_key, "confirm-prize", address)
    hold_key(store, request, address, to_iso(clock()))
    offer = _offers(store, offers)(command.offer_id)
    ladder = _ladder(offer)

    def decide(pass_: Pass, at: str) -> tuple[PassChange, PrizeClaimed]:
        claimed = pass_rules.claim_reward(pass_, at, offer.stamps_required if offer is not None else None)
        standing = ladder.standing(claimed.rewards_claimed)
        upgrade = tier_upgrade(ladder.standing(pass_.rewards_claimed), standing)
        issuance = (
            on_upgrade(claimed, upgrade, at) if (upgrade is not None and on_upgrade is not None) else None
        )
        result = PrizeClaimed(claimed, standing, upgrade, issuance.issuance if issuance else None)
        change = PassChange(
            pass_=claimed,
            expected_version=pass_.version,
            note=ChangeNote("PRIZE", actor.sub, actor.branch_id, tier_upgrade=upgrade is not None),
            answer=render(result),
            request=request,
            issuance=issuance,
        )
        return change, result

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff, render)
    if change is not None:
        count(BusinessEvent.PRIZE)
        if change.note.tier_upgrade:
            count(BusinessEvent.TIER_UPGRADE)
    return answer


def void_stamp(
    store: PassStore,
    clock: Clock,
    command: VoidStamp,
    render: AnswerRenderer,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> StampVoided | Replayed:
    """Take back the last stamp of the cycle under way: read → decide → one write on the version read, so of
    twenty voids racing on a one-stamp card exactly one succeeds and the others see 0 stamps."""
    actor, reason = command.actor, command.reason
    address = pass_address(command.customer_id, command.offer_id)
    request = _request(actor, command.idempotency_key, "void-stamp", address, {"reason": reason})
    hold_key(store, request, address, to_iso(clock()))
    ladder = _ladder(_offers(store, offers)(command.offer_id))

    def decide(pass_: Pass, at: str) -> tuple[PassChange, StampVoided]:
        voided = pass_rules.void_stamp(pass_, at, Voider(actor.is_owner, actor.branch_id))
        result = StampVoided(voided, ladder.standing(voided.rewards_claimed))
        change = PassChange(
            pass_=voided,
            expected_version=pass_.version,
            note=ChangeNote("VOID", actor.sub, actor.branch_id, reason),
            answer=render(result),
            request=request,
        )
        return change, result

    answer, change = _run(store, clock, request, address, ladder, decide, actor, backoff, render)
    if change is not None:
        count(BusinessEvent.STAMP_VOIDED)
    return answer


def reactivate(
    store: PassStore,
    clock: Clock,
    command: Reactivate,
    render: AnswerRenderer,
    *,
    offers: OfferLookup | None = None,
    backoff: Backoff = conflict_backoff,
) -> PassRead | Replayed:
    """Bring an expired pass back while the customer waits at the counter, as a recovery link would (ACTIVE,
    stamps at 0, completions and so the tier kept): one write on the version read, one REACTIVATE event naming
    the manager and their branch; the stream that follows every pass write redraws its wallets. 409 PASS_ACTIVE
    for a pass that is not expired, so of two managers reactivating at once one succeeds. The result is the pass
    as the scanner reads it, so the screen shows the card ready for a stamp without another call."""
    actor = command.actor
    address = pass_address(command.customer_id, command.offer_id)
    request = _request(actor, command.idempotency_key, "reactivate", address)
    hold_key(store, request, address, to_iso(clock()))
    offer = _offers(store, offers)(command.offer_id)
    ladder = _ladder(offer)

    def decide(pass_: Pass, at: str) -> tuple[PassChange, PassRead]:
        revived = pass_rules.reactivate_at_counter(
            pass_, at, offer.stamps_required if offer is not None else None
        )
        result = PassRead(revived, ladder.standing(revived.rewards_claimed), offer)
        change = PassChange(
            pass_=revived,
            expected_version=pass_.version,
            note=ChangeNote("REACTIVATE", actor.sub, actor.branch_id),
            answer=render(result),
            request=request,
        )
        return change, result

    answer, _ = _run(store, clock, request, address, ladder, decide, actor, backoff, render)
    return answer
