"""An offer's members as a CSV file (loyalty.domain.member_export), written off the request path: page by page
through the members index, each page's rows handed to the sink as they are made, so the file is never held
whole and memory stays flat whatever the offer's size. `on_progress` hears the rows written after each page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from loyalty.app.offers.members import member_item
from loyalty.app.ports.customers import Members
from loyalty.app.ports.exports import ExportSink
from loyalty.domain.member_export import csv_chunks
from loyalty.domain.offers import OfferNotFound
from loyalty.domain.pass_results import MemberShown
from loyalty.domain.passes import PassStatus

PAGE = 100


def export_members(
    members: Members,
    business_id: str,
    offer_id: str,
    sink: ExportSink,
    on_progress: Callable[[int], None] = lambda rows: None,
) -> int:
    """Write every member of the offer (emails unmasked: exports are the owner's) and return how many."""
    written = 0

    def items() -> Iterator[dict[str, Any]]:
        nonlocal written
        cursor: str | None = None
        while True:
            page = members.page(offer_id, status=None, limit=PAGE, cursor=cursor)
            offer = page.offer
            if offer is None or offer.business_id != business_id:
                raise OfferNotFound()
            for pass_ in page.passes:
                if pass_.business_id == business_id and pass_.status is not PassStatus.ERASED:
                    written += 1
                    yield _row_fields(member_item(pass_, offer, show_email=True))
            on_progress(written)
            cursor = page.next_cursor
            if cursor is None:
                return

    for chunk in csv_chunks(items()):
        sink.write(chunk)
    return written


def _row_fields(member: MemberShown) -> dict[str, Any]:
    """The member's fields the file's columns read (loyalty.domain.member_export.COLUMNS), named as the members
    list names them."""
    pass_, current = member.pass_, member.standing.current
    return {
        "customerId": pass_.customer_id,
        "shortCode": pass_.short_code,
        "name": pass_.customer_name,
        "email": member.email,
        "preferredLanguage": pass_.preferred_language,
        "status": pass_.status.value,
        "progress": {
            "currentStamps": pass_.current_stamps,
            "maxStamps": pass_.stamps_required,
            "rewardsClaimed": pass_.rewards_claimed,
        },
        "tier": {"currentTier": {"name": current.name} if current is not None else None},
        "rewardReady": pass_.reward_ready,
        "lastActivityAt": pass_.last_activity_at,
        "memberSince": pass_.member_since,
    }
