"""Finding members fast: each offer's member directory (loyalty.domain.member_search), kept from the table's
stream, and the members requests it answers (a name's or an email's start, a short code, by last visit,
"expiring soon", "reward ready").

Kept from the stream because a pass's entries change with what the pass item already carries (a name at enroll,
its last activity, a full card, an erasure): the scan stays one write, and the directory follows it within a
second or so. Each pass write of a batch moves its pass's entries from what the old image had to what the new one
has, so a record handed over twice, or a wallet redraw, changes nothing. A read is one Query on the directory,
bounded by the page's size, and one BatchGetItem for the page's passes and the offer, whatever the offer's size.

"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.offers.members import list_members, member_item
from loyalty.app.ports.customers import Members
from loyalty.app.ports.directory import DirectoryUpdate, MemberDirectory
from loyalty.app.ports.ledger import PassWritten, TableChange
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.ids import is_id
from loyalty.domain.member_filters import NO_TIER
from loyalty.domain.member_search import (
    MemberSegment,
    Sort,
    directory_entries,
    directory_range,
)
from loyalty.domain.offers import OfferNotFound
from loyalty.domain.pass_results import MemberList, MemberShown
from loyalty.domain.passes import PassStatus

logger = Logger(child=True)


def directory_update(written: PassWritten) -> DirectoryUpdate | None:
    """What this pass write changes in its offer's directory; None when nothing."""
    before = directory_entries(written.old)
    after = directory_entries(written.new)
    was_active = written.old is not None and written.old.status is PassStatus.ACTIVE
    active = written.new.status is PassStatus.ACTIVE
    put = after if active != was_active else after - before
    remove = before - after
    if not put and not remove:
        return None
    return DirectoryUpdate(written.new.offer_id, written.new.customer_id, active, remove, put)


def update_directory(directory: MemberDirectory, records: Iterable[TableChange]) -> list[str]:
    """Move the entries of every pass written in a batch of stream records; the sequence numbers to hand back:
    every record from the first one not applied (or not readable), in batch order, so that the stream delivers
    them again in their order."""
    batch = list(records)
    pending: list[tuple[int, DirectoryUpdate]] = []
    unreadable_from: int | None = None
    for n, record in enumerate(batch):
        try:
            written = record.written()
        except (KeyError, ValueError, TypeError):
            unreadable_from = n  # the ledger logs it; here it ends what this batch applies
            break
        if isinstance(written, PassWritten):
            update = directory_update(written)
            if update is not None:
                pending.append((n, update))
    if pending:
        try:
            directory.apply([update for _, update in pending])
        except Exception:  # not written now, written again from the stream: never lost
            logger.exception("member directory not updated; the stream will hand the records over again")
            return [record.sequence_number for record in batch[pending[0][0] :]]
    if unreadable_from is not None:
        return [record.sequence_number for record in batch[unreadable_from:]]
    return []


def _looks_like_whole_email(q: str) -> bool:
    local, at, domain = q.partition("@")
    return bool(local and at and "." in domain.strip(".")) and not domain.endswith(".")


def find_members(
    members: Members,
    directory: MemberDirectory,
    business_id: str,
    offer_id: str,
    *,
    show_email: bool,
    at: str,
    inactivity_days: int,
    status: str | None = None,
    tier: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    segment: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> MemberList:
    """A page of the offer's members. A customer id or a whole email is looked up directly (the customer record,
    consistent at once); a name's or an email's start, a short code, a sort by last visit and the segments read
    the directory; otherwise the members index, most recently joined first."""
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    search = q.strip() if q is not None and q.strip() else None
    wanted_sort = _choice(Sort, sort, "sort", Sort.JOINED)
    wanted_segment = _choice(MemberSegment, segment, "segment", None)
    if search is not None and (is_id(search, "cus") or _looks_like_whole_email(search)):
        return list_members(
            members, business_id, offer_id, show_email=show_email, status=status, tier=tier, q=search, at=at
        )
    stretch = directory_range(
        q=search, sort=wanted_sort, segment=wanted_segment, at=at, inactivity_days=inactivity_days
    )
    if stretch is None:
        return list_members(
            members,
            business_id,
            offer_id,
            show_email=show_email,
            status=status,
            tier=tier,
            limit=limit,
            cursor=cursor,
            at=at,
        )
    if status is not None and status not in (PassStatus.ACTIVE.value, PassStatus.EXPIRED.value):
        raise ValidationFailed([FieldError("status", "must be ACTIVE or EXPIRED")])
    wanted_status = PassStatus(status) if status is not None else None
    page = directory.find(offer_id, stretch, limit=limit, cursor=cursor)
    offer = page.offer
    if offer is None or offer.business_id != business_id:
        raise OfferNotFound()
    ladder = offer.ladder
    if tier is not None and tier != NO_TIER and tier not in {t.id for t in ladder.tiers}:
        raise ValidationFailed([FieldError("tier", "is not a tier of this offer's ladder, nor `none`")])
    shown: list[MemberShown] = []
    for pass_ in page.passes:
        current = ladder.standing(pass_.rewards_claimed).current
        if (
            pass_.business_id == business_id
            and pass_.status is not PassStatus.ERASED
            and (wanted_status is None or pass_.status is wanted_status)
            and (tier is None or (current.id if current is not None else NO_TIER) == tier)
        ):
            shown.append(member_item(pass_, offer, show_email, at))
    return MemberList(shown, page.next_cursor)


def _choice(kind: type[StrEnum], raw: str | None, field: str, default: Any) -> Any:
    """`raw` as a member of `kind`, `default` when absent; 422 naming the field and its values otherwise."""
    if raw is None:
        return default
    values = [member.value for member in kind]
    if raw not in values:
        raise ValidationFailed([FieldError(field, "must be one of " + ", ".join(values))])
    return kind(raw)
