"""An offer's members as a CSV file (loyalty.domain.member_export), written off the request path: page by page
through the members index, each page's rows handed to the sink as they are made, so the file is never held
whole and memory stays flat whatever the offer's size. `on_progress` hears the rows written after each page.

The export's life: `start_export` (the owner's POST) records it RUNNING and queues it; `run_export` (the queue's
worker) writes the file and marks it DONE; `export_status` (the owner's GET) reports progress and, once DONE,
a download link that expires."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from loyalty.app.idempotency import IdempotencyKeyReused
from loyalty.app.offers.catalog import find_offer
from loyalty.app.offers.commands import ReadExport, StartExport
from loyalty.app.offers.members import member_item
from loyalty.app.ports.customers import Members
from loyalty.app.ports.exports import ExportFiles, ExportJobs, ExportQueue, ExportSink
from loyalty.app.ports.offers import OfferSource
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.exports import (
    DOWNLOAD_LINK_SECONDS,
    FILES_KEPT_DAYS,
    Export,
    ExportNotFound,
    ExportProgress,
    ExportStatus,
    export_id_for,
    file_key,
    file_name,
    is_export_id,
)
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


# The worker records its progress at most this often (in rows): the dashboard's bar moves, the table is not
# written once a page.
PROGRESS_EVERY = 500


def start_export(
    offers: OfferSource,
    jobs: ExportJobs,
    queue: ExportQueue,
    command: StartExport,
    *,
    at: str,
) -> Export:
    """Record the export and hand it to the worker; the export recorded is the answer. A retried Idempotency-Key answers the
    export it started (the same key for another offer is refused); a queue that refuses the job leaves the
    export FAILED, never RUNNING with nobody writing it."""
    business_id, offer_id = command.business_id, command.offer_id
    find_offer(offers, business_id, offer_id)
    asked = Export(
        export_id=export_id_for(business_id, command.idempotency_key),
        business_id=business_id,
        offer_id=offer_id,
        status=ExportStatus.RUNNING,
        rows=0,
        created_at=at,
    )
    keep_until = int((parse_iso(at) + timedelta(days=FILES_KEPT_DAYS)).timestamp())
    found = jobs.start(asked, keep_until=keep_until)
    recorded = found.export
    if recorded.business_id != business_id or recorded.offer_id != offer_id:
        raise IdempotencyKeyReused()
    # Queued by the request that recorded it only: a retry (even within the same millisecond) finds it queued.
    if found.new:
        try:
            queue.send(recorded.export_id)
        except Exception:
            jobs.finish(recorded.export_id, status=ExportStatus.FAILED, rows=0, file_key=None)
            raise
    return recorded


def run_export(
    members: Members,
    offers: OfferSource,
    jobs: ExportJobs,
    files: ExportFiles,
    export_id: str,
    *,
    last_attempt: bool,
) -> Export | None:
    """The worker's part: write the file, then mark the export DONE. A job already finished (a message
    delivered twice) is left alone. A failure drops the partial file; on the queue's last attempt it marks the
    export FAILED, before that it is raised so that the queue delivers the job again."""
    export = jobs.get(export_id)
    if export is None or export.status is not ExportStatus.RUNNING:
        return export
    offer = offers.get(export.offer_id)
    if offer is None or offer.business_id != export.business_id:
        jobs.finish(export_id, status=ExportStatus.FAILED, rows=0, file_key=None)
        return jobs.get(export_id)
    key = file_key(export)
    file = files.open(key, download_name=file_name(offer.name, export.created_at))
    reported = 0

    def on_progress(rows: int) -> None:
        nonlocal reported
        if rows - reported >= PROGRESS_EVERY:
            jobs.progress(export_id, rows)
            reported = rows

    try:
        rows = export_members(members, export.business_id, export.offer_id, file, on_progress)
        file.finish()
    except OfferNotFound:
        file.abandon()
        jobs.finish(export_id, status=ExportStatus.FAILED, rows=reported, file_key=None)
        return jobs.get(export_id)
    except Exception:
        file.abandon()
        if last_attempt:
            jobs.finish(export_id, status=ExportStatus.FAILED, rows=reported, file_key=None)
        raise
    jobs.finish(export_id, status=ExportStatus.DONE, rows=rows, file_key=key)
    return jobs.get(export_id)


def export_status(
    jobs: ExportJobs, files: ExportFiles, command: ReadExport, *, now: datetime
) -> ExportProgress:
    """An export's progress; once DONE a download link signed now, valid for DOWNLOAD_LINK_SECONDS."""
    export = jobs.get(command.export_id) if is_export_id(command.export_id) else None
    if export is None or export.business_id != command.business_id:
        raise ExportNotFound()
    if export.status is not ExportStatus.DONE or export.file_key is None:
        return ExportProgress(export)
    return ExportProgress(
        export,
        files.download_link(export.file_key, seconds=DOWNLOAD_LINK_SECONDS),
        to_iso(now + timedelta(seconds=DOWNLOAD_LINK_SECONDS)),
    )
