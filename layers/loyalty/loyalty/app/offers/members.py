"""An offer's members for the dashboard and the scanner: filtered by status, tier or an exact search, most
recently enrolled first. Owners see emails; managers see them masked."""

from __future__ import annotations

from loyalty.app.ports.customers import Members
from loyalty.domain.at_risk import is_at_risk
from loyalty.domain.customers import canonical_email
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.ids import is_id
from loyalty.domain.member_filters import NO_TIER, tier_rewards
from loyalty.domain.offers import Offer, OfferNotFound
from loyalty.domain.pass_results import MemberList, MemberShown
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.privacy import mask_email
from loyalty.domain.tiers import TierLadder


def member_item(pass_: Pass, offer: Offer, show_email: bool, at: str | None = None) -> MemberShown:
    """One member as the list shows them (an email masked unless the reader may see it; `atRisk` as of `at`)."""
    return MemberShown(
        pass_,
        offer.ladder.standing(pass_.rewards_claimed),
        pass_.email if show_email else mask_email(pass_.email),
        offer,
        at_risk=at is not None and is_at_risk(pass_, at),
    )


def list_members(
    members: Members,
    business_id: str,
    offer_id: str,
    *,
    show_email: bool,
    status: str | None = None,
    tier: str | None = None,
    q: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    at: str | None = None,
) -> MemberList:
    """A page of at most `limit` members (`atRisk` judged as of `at`). The status and tier filters run in the
    index (a tier as the ranges of rewards claimed the ladder in force gives it), so a filtered page is full unless
    the members end there."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    wanted_status = _status(status)
    if q is not None and q.strip():
        search = q.strip()
        page = members.one(offer_id, business_id, search if is_id(search, "cus") else canonical_email(search))
    elif wanted_status is not None or tier is not None:
        chosen = tier
        page = members.filtered_page(
            offer_id,
            status=wanted_status,
            rewards=(lambda offer: tier_rewards(offer.ladder, chosen)) if chosen is not None else None,
            limit=limit,
            cursor=cursor,
        )
    else:
        page = members.page(offer_id, status=wanted_status, limit=limit, cursor=cursor)
    if page.offer is None or page.offer.business_id != business_id:
        raise OfferNotFound()
    ladder = page.offer.ladder
    if tier is not None and tier != NO_TIER and tier not in {t.id for t in ladder.tiers}:
        raise ValidationFailed([FieldError("tier", "is not a tier of this offer's ladder, nor `none`")])
    shown = [
        pass_
        for pass_ in page.passes
        if pass_.business_id == business_id
        and (wanted_status is None or pass_.status is wanted_status)
        and (tier is None or _tier_id(ladder, pass_) == tier)
    ]
    items = [member_item(pass_, page.offer, show_email, at) for pass_ in shown]
    return MemberList(items, page.next_cursor)


def _tier_id(ladder: TierLadder, pass_: Pass) -> str:
    current = ladder.standing(pass_.rewards_claimed).current
    return current.id if current is not None else NO_TIER


def _status(raw: str | None) -> PassStatus | None:
    if raw is None:
        return None
    if raw not in (PassStatus.ACTIVE.value, PassStatus.EXPIRED.value):
        raise ValidationFailed([FieldError("status", "must be ACTIVE or EXPIRED")])
    return PassStatus(raw)
