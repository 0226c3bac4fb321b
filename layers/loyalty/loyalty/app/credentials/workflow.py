"""The credential issuance workflow's tasks (infra/statemachines/credential-issuance.asl.json runs them):

submit  — hand the issuance to AIR Kit once it is its turn; record WAIT_ONCHAIN and the core claim hash;
check   — ask AIR Kit whether it is on chain; plan the next wait (doubling, capped, never past the deadline);
record  — write the outcome: ONCHAIN, FAILED with the reason, or TIMED_OUT.

Errors are the state machine's vocabulary: `AirKitUnavailable` and `EarlierIssuancePending` are retried with
backoff, `AirKitRejected` (a refused consent among them), `IssuanceSuperseded`, `AmbiguousDuplicate` and
`UncheckableDuplicate` are caught into FAILED with their reason. Every status
write is conditional, so a task run twice (a retry after a lost answer) never moves an issuance back.

A lost answer never leaves a second credential: AIR Kit has no idempotency key, so an attempt that may have been
accepted (a read timeout, a 5xx, a run that died mid-call) is resubmitted with `onDuplicate: "ignore"`, and AIR
Kit's "already issued" names the credential to wait for: ONCHAIN is only ever what a status check answered. A status check AIR Kit throttles or fails is no news: the loop
waits on until the deadline (ONCHAIN or TIMED_OUT, never FAILED for a 429)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.ports.credentials import (
    Accepted,
    CredentialApi,
    CredentialApiUnavailable,
    CredentialStatus,
    IssuanceStore,
    OnDuplicate,
)
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.credentials import (
    FAILED,
    FINAL_STATUSES,
    ONCHAIN,
    PENDING,
    TIMED_OUT,
    WAIT_ONCHAIN,
    Issuance,
    IssuanceAlreadyFinal,
    IssuanceNotFound,
    submission_turn,
)
from loyalty.domain.privacy import mask_email

logger = Logger(child=True)

OUTCOMES = (ONCHAIN, FAILED, TIMED_OUT)
_OUTCOME_EVENTS = {
    ONCHAIN: BusinessEvent.CREDENTIAL_ONCHAIN,
    FAILED: BusinessEvent.CREDENTIAL_FAILED,
    TIMED_OUT: BusinessEvent.CREDENTIAL_TIMED_OUT,
}


class EarlierIssuancePending(Exception):
    """An older issuance of the same pass has not been accepted by AIR Kit yet: this one waits its turn, so that
    `onDuplicate: "revoke"` leaves the newest tier standing."""


class IssuanceSuperseded(Exception):
    """A newer issuance of the same pass is already with AIR Kit: this older one must not revoke it."""


class AmbiguousDuplicate(Exception):
    """An attempt's answer was lost, and AIR Kit now says the customer already holds this program's credential,
    while an earlier tier's credential of the pass is also there: AIR Kit's 409 cannot say which one it holds.
    Failing (with this reason) is honest; resubmitting with "revoke" might leave a second credential."""


class UncheckableDuplicate(Exception):
    """An attempt's answer was lost, and AIR Kit now says the credential is already there without naming it:
    with no core claim hash there is no status to check, and only a status check may say ONCHAIN."""


@dataclass(frozen=True)
class PollingPlan:
    """How long to wait between status checks, and when to give up. Carried in the execution's data."""

    initial_wait_seconds: int
    max_wait_seconds: int
    deadline_seconds: int

    @classmethod
    def from_event(cls, raw: dict[str, Any]) -> PollingPlan:
        # DefinitionSubstitutions arrive as strings: the ASL file stays valid JSON before substitution.
        plan = cls(
            initial_wait_seconds=int(raw["initialWaitSeconds"]),
            max_wait_seconds=int(raw["maxWaitSeconds"]),
            deadline_seconds=int(raw["deadlineSeconds"]),
        )
        if not (1 <= plan.initial_wait_seconds <= plan.max_wait_seconds and plan.deadline_seconds >= 1):
            raise ValueError(f"inconsistent polling plan {plan}")
        return plan


def next_wait(current_wait: int, max_wait: int, seconds_left: float) -> int:
    """Double the wait, cap it, and never sleep past the deadline (at least 1 s: Wait takes whole seconds)."""
    return max(1, min(current_wait * 2, max_wait, math.ceil(seconds_left)))


def _poll_state(
    issuance: Issuance, wait_seconds: int, max_wait: int, deadline_at: str, checks: int, vc_status: str
) -> dict[str, Any]:
    return {
        "status": issuance.status,
        "coreClaimHash": issuance.core_claim_hash,
        "vcStatus": vc_status,
        "waitSeconds": wait_seconds,
        "maxWaitSeconds": max_wait,
        "deadlineAt": deadline_at,
        "checks": checks,
        "pastDeadline": False,
    }


def submit(store: IssuanceStore, air: CredentialApi, clock: Clock, event: dict[str, Any]) -> dict[str, Any]:
    issuance_id = str(event["issuanceId"])
    plan = PollingPlan.from_event(event["polling"])
    started_at = parse_iso(str(event.get("startedAt") or to_iso(clock())))
    deadline_at = to_iso(started_at + timedelta(seconds=plan.deadline_seconds))
    issuance, email = store.with_recipient(issuance_id)
    log = {"issuanceId": issuance_id, "recipient": mask_email(email)}
    if issuance.status == PENDING:
        turn = submission_turn(issuance, store.of_pass(issuance.customer_id, issuance.offer_id))
        if turn.superseded_by is not None:
            newer = turn.superseded_by
            raise IssuanceSuperseded(
                f"superseded by {newer.issuance_id} ({newer.tier_name}), accepted by AIR Kit first; "
                "submitting this one would revoke it"
            )
        if turn.waiting_for is not None:
            logger.info(
                "waiting for an earlier issuance of this pass",
                extra={**log, "earlier": turn.waiting_for.issuance_id},
            )
            raise EarlierIssuancePending(
                f"issuance {turn.waiting_for.issuance_id} of this pass goes to AIR Kit first"
            )
        issuance = _submit(store, air, clock, issuance, email, log)
    vc_status = ONCHAIN if issuance.status == ONCHAIN else WAIT_ONCHAIN
    return _poll_state(issuance, plan.initial_wait_seconds, plan.max_wait_seconds, deadline_at, 0, vc_status)


def _submit(
    store: IssuanceStore,
    air: CredentialApi,
    clock: Clock,
    issuance: Issuance,
    email: str,
    log: dict[str, Any],
) -> Issuance:
    try:
        counted = store.count_attempt(issuance.issuance_id, to_iso(clock()))
    except IssuanceAlreadyFinal:
        # Another run got there first (a retry after a lost answer): carry on from where it is.
        current = store.get(issuance.issuance_id)
        if current is None:
            raise IssuanceNotFound() from None  # erased since: nothing left to submit
        return current
    # Read before this attempt was counted: did an earlier attempt leave without a clear refusal?
    in_doubt = issuance.maybe_accepted
    on_duplicate: OnDuplicate = "ignore" if in_doubt else "revoke"
    logger.info(
        "submitting credential to AIR Kit",
        extra={**log, "attempt": counted.attempts, "onDuplicate": on_duplicate},
    )
    try:
        result = air.issue_on_behalf(email, dict(issuance.subject), on_duplicate)
    except CredentialApiUnavailable as failure:
        if not failure.maybe_accepted and not in_doubt:
            store.attempt_refused(issuance.issuance_id)
        raise
    if isinstance(result, Accepted):
        moved = store.move(
            issuance.issuance_id, WAIT_ONCHAIN, to_iso(clock()), core_claim_hash=result.core_claim_hash
        )
        logger.info("AIR Kit accepted the credential", extra={**log, "coreClaimHash": result.core_claim_hash})
        return moved
    earlier = [
        other
        for other in store.of_pass(issuance.customer_id, issuance.offer_id)
        if other.issuance_id != issuance.issuance_id and other.status in (WAIT_ONCHAIN, ONCHAIN)
    ]
    if earlier:
        raise AmbiguousDuplicate(
            "AIR Kit's answer to an earlier attempt was lost and it now holds a credential of this program, "
            f"but issuance {earlier[-1].issuance_id} ({earlier[-1].tier_name}) put one there before: "
            "check the customer's credential in AIR Kit before re-issuing"
        )
    # The only credential AIR Kit can hold for this pass is the one our lost attempt issued; "already there"
    # says nothing of the chain, so it waits for status checks like any accepted credential.
    if not result.core_claim_hash:
        raise UncheckableDuplicate(
            "AIR Kit's answer to an earlier attempt was lost and it now says the credential is already issued, "
            f"without a core claim hash to check its status ({result.message}): check the customer's "
            "credential in AIR Kit"
        )
    logger.info("AIR Kit already holds this credential (an earlier attempt's answer was lost)", extra=log)
    return store.move(
        issuance.issuance_id, WAIT_ONCHAIN, to_iso(clock()), core_claim_hash=result.core_claim_hash
    )


def check(store: IssuanceStore, air: CredentialApi, clock: Clock, event: dict[str, Any]) -> dict[str, Any]:
    issuance_id = str(event["issuanceId"])
    poll = dict(event["poll"])
    issuance, email = store.with_recipient(issuance_id)
    wait = int(poll["waitSeconds"])
    max_wait = int(poll["maxWaitSeconds"])
    checks = int(poll.get("checks", 0)) + 1
    if issuance.status in FINAL_STATUSES or not issuance.core_claim_hash:
        # Settled elsewhere: the choice ends the loop on the status this answer carries.
        state = _poll_state(issuance, wait, max_wait, str(poll["deadlineAt"]), checks, issuance.status)
        state["pastDeadline"] = issuance.status != ONCHAIN
        return state
    try:
        status = air.credential_status(issuance.core_claim_hash, email)
    except CredentialApiUnavailable as unavailable:
        # Throttled or failing: no news, not a failure. AIR Kit accepted the credential; only the deadline
        # decides when to stop asking.
        logger.warning(
            "status check unavailable; waiting on",
            extra={"issuanceId": issuance_id, "error": str(unavailable), "checks": checks},
        )
        status = CredentialStatus(issuance.core_claim_hash, WAIT_ONCHAIN, None)
    seconds_left = (parse_iso(str(poll["deadlineAt"])) - clock()).total_seconds()
    state = _poll_state(
        issuance,
        next_wait(wait, max_wait, seconds_left),
        max_wait,
        str(poll["deadlineAt"]),
        checks,
        status.vc_status,
    )
    state["pastDeadline"] = not status.on_chain and seconds_left <= 0
    logger.info(
        "credential status",
        extra={
            "issuanceId": issuance_id,
            "vcStatus": status.vc_status,
            "checks": checks,
            "secondsLeft": seconds_left,
        },
    )
    return state


def failure_reason(failure: dict[str, Any] | None) -> str:
    """The reason a Catch carries (`{"Error", "Cause"}`, Cause being Lambda's error JSON), in words."""
    if not failure:
        return "credential issuance failed"
    error = str(failure.get("Error") or "Error")
    cause = failure.get("Cause")
    message: str | None = None
    if isinstance(cause, str):
        try:
            parsed = json.loads(cause)
        except ValueError:
            message = cause
        else:
            message = str(parsed.get("errorMessage") or "") if isinstance(parsed, dict) else cause
    return message or error


def record(store: IssuanceStore, clock: Clock, event: dict[str, Any]) -> dict[str, Any]:
    issuance_id = str(event["issuanceId"])
    outcome = str(event["outcome"])
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    reason: str | None = None
    if outcome == FAILED:
        reason = failure_reason(event.get("failure"))
    elif outcome == TIMED_OUT:
        poll = event.get("poll") or {}
        reason = (
            f"not on chain by the deadline {poll.get('deadlineAt', '')} "
            f"after {poll.get('checks', 0)} status checks (still {poll.get('vcStatus', WAIT_ONCHAIN)})"
        )
    try:
        moved = store.move(issuance_id, outcome, to_iso(clock()), error=reason)
    except IssuanceAlreadyFinal:
        current = store.get(issuance_id)
        if current is None:
            raise IssuanceNotFound() from None  # erased since: nothing left to settle
        logger.warning(
            "issuance already settled",
            extra={"issuanceId": issuance_id, "status": current.status, "outcome": outcome},
        )
        return {"issuanceId": issuance_id, "status": current.status}
    count(_OUTCOME_EVENTS[moved.status])
    logger.info(
        "issuance settled", extra={"issuanceId": issuance_id, "status": moved.status, "error": reason}
    )
    return {"issuanceId": issuance_id, "status": moved.status}
