"""Starting and reading credential issuances.

Starting one only writes its record: the table's stream (the outbox) starts the workflow, so a start is never
lost between two calls and never runs twice (the execution is named after the issuance)."""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools import Logger

from loyalty.app.ports.credentials import CredentialWorkflows, IssuanceStore, WorkflowNotStarted
from loyalty.app.ports.ledger import TableChange
from loyalty.app.ports.passes import PassStore, StartedIssuance
from loyalty.domain.clock import Clock, parse_iso, to_iso
from loyalty.domain.credentials import (
    FINAL_STATUSES,
    Issuance,
    IssuanceNotFound,
    NoTier,
    credential_subject,
    reissue_issuance_id,
    upgrade_issuance_id,
)
from loyalty.domain.ids import is_id
from loyalty.domain.passes import Pass, PassBusy, PassExpired, PassNotFound, PassStatus
from loyalty.domain.tiers import Tier, TierLadder, TierUpgrade

logger = Logger(child=True)


def new_issuance(issuance_id: str, pass_: Pass, tier: Tier, upgraded_at: str, at: str) -> Issuance:
    return Issuance(
        issuance_id=issuance_id,
        customer_id=pass_.customer_id,
        offer_id=pass_.offer_id,
        business_id=pass_.business_id,
        tier_id=tier.id,
        tier_name=tier.name,
        subject=credential_subject(
            tier.name, pass_.lifetime_stamps, parse_iso(pass_.member_since), parse_iso(upgraded_at)
        ),
        created_at=at,
        updated_at=at,
    )


def issuance_on_upgrade(pass_: Pass, upgrade: TierUpgrade, at: str) -> StartedIssuance | None:
    """For confirm-prize (a `CredentialOnUpgrade`): the issuance a tier upgrade starts, written in the claim's own
    transaction."""
    if not pass_.email:
        return None
    issuance_id = upgrade_issuance_id(pass_.customer_id, pass_.offer_id, pass_.rewards_claimed)
    return StartedIssuance(new_issuance(issuance_id, pass_, upgrade.to_tier, at, at), pass_.email)


def start_issuance(
    passes: PassStore,
    issuances: IssuanceStore,
    clock: Clock,
    business_id: str,
    customer_id: str,
    offer_id: str,
) -> Issuance:
    """(Re)issue the credential of the tier the customer holds now. While an issuance of that tier for this pass
    is still under way, that one is answered instead of starting another."""
    if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
        raise PassNotFound()
    snap = passes.snapshot(pass_key=(customer_id, offer_id), offer_id=offer_id)
    pass_ = snap.pass_
    if pass_ is None or pass_.business_id != business_id or pass_.status is PassStatus.ERASED:
        raise PassNotFound()
    if pass_.status is PassStatus.EXPIRED:
        # An expired pass is out of the programme until the customer comes back (the recovery link): a
        # credential issued now would attest a membership the platform itself considers lapsed.
        raise PassExpired()
    ladder = snap.offer.ladder if snap.offer else TierLadder.default()
    tier = ladder.standing(pass_.rewards_claimed).current
    if tier is None:
        raise NoTier()
    history = issuances.of_pass(customer_id, offer_id)
    for earlier in reversed(history):
        if earlier.tier_id == tier.id and earlier.status not in FINAL_STATUSES:
            return earlier
    same_tier = [i for i in history if i.tier_id == tier.id]
    at = to_iso(clock())
    # The upgrade happened when the tier was first credited; a re-issue keeps that moment.
    upgraded_at = str(same_tier[-1].subject.get("upgradedAt", at)) if same_tier else at
    issuance_id = reissue_issuance_id(customer_id, offer_id, tier.id, len(same_tier))
    issuance = new_issuance(issuance_id, pass_, tier, upgraded_at, at)
    if issuances.create(issuance, pass_.email):
        return issuance
    existing = issuances.get(issuance_id)
    if existing is None:
        # The write was refused, yet the issuance cannot be read: another owner's identical re-issue is still
        # in flight. Theirs will stand; this owner tries again and gets it.
        raise PassBusy()
    return existing


def read_issuance(issuances: IssuanceStore, business_id: str, issuance_id: str) -> Issuance:
    if not is_id(issuance_id, "iss"):
        raise IssuanceNotFound()
    issuance = issuances.get(issuance_id)
    if issuance is None or issuance.business_id != business_id:
        raise IssuanceNotFound()
    return issuance


def dispatch_new_issuances(workflows: CredentialWorkflows, records: Iterable[TableChange]) -> list[str]:
    """Start the workflow of every issuance the stream shows inserted; the sequence numbers of the records whose
    start failed (Lambda hands them over again). The execution is named after the issuance, so a record seen
    twice starts nothing new."""
    failed: list[str] = []
    for record in records:
        issuance_id = record.created_issuance()
        if issuance_id is None:
            continue
        try:
            started = workflows.start(issuance_id)
        except WorkflowNotStarted as refused:
            logger.warning(
                "could not start the credential workflow; the stream will hand it over again",
                extra={"issuanceId": issuance_id, "error": refused.reason},
            )
            failed.append(record.sequence_number)
            continue
        if started:
            logger.info("credential workflow started", extra={"issuanceId": issuance_id})
    return failed
