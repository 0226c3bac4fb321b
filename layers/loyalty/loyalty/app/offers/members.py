"""An offer's members for the dashboard and the scanner: filtered by status, tier or an exact search, most
recently enrolled first. Owners see emails; managers see them masked."""

from __future__ import annotations

from loyalty.app.ports.customers import Members
from loyalty.domain.customers import canonical_email
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer, OfferNotFound
from loyalty.domain.pass_results import MemberList, MemberShown
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.privacy import mask_email
from loyalty.domain.tiers import TierLadder

NO_TIER = "none"


def member_item(card: Pass, offer: Offer, show_email: bool) -> MemberShown:
    """One member as the list shows them (an email masked unless the reader may see it)."""
    return MemberShown(
        card,
        offer.ladder.standing(card.rewards_claimed),
        card.email if show_email else mask_email(card.email),
        offer,
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
) -> MemberList:
    """A page of at most `limit` members. The status filter runs in the index; the tier filter is applied to the
    page read (a tier is derived from the ladder in force), so a tier-filtered page may hold fewer: `nextCursor`
    says whether more follow."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    wanted_status = _status(status)
    if q is not None and q.strip():
        search = q.strip()
        page = members.one(offer_id, business_id, search if is_id(search, "cus") else canonical_email(search))
    else:
        page = members.page(offer_id, status=wanted_status, limit=limit, cursor=cursor)
    if page.offer is None or page.offer.business_id != business_id:
        raise OfferNotFound()
    ladder = page.offer.ladder
    if tier is not None and tier != NO_TIER and tier not in {t.id for t in ladder.tiers}:
        raise ValidationFailed([FieldError("tier", "is not a tier of this offer's ladder, nor `none`")])
    shown = [
        card
        for card in page.passes
        if card.business_id == business_id
        and (wanted_status is None or card.status is wanted_status)
        and (tier is None or _tier_id(ladder, card) == tier)
    ]
    return MemberList([member_item(card, page.offer, show_email) for card in shown], page.next_cursor)


def _tier_id(ladder: TierLadder, card: Pass) -> str:
    current = ladder.standing(card.rewards_claimed).current
    return current.id if current is not None else NO_TIER


def _status(raw: str | None) -> PassStatus | None:
    if raw is None:
        return None
    if raw not in (PassStatus.ACTIVE.value, PassStatus.EXPIRED.value):
        raise ValidationFailed([FieldError("status", "must be ACTIVE or EXPIRED")])
    return PassStatus(raw)
