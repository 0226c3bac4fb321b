"""A members export's life: the owner starts it, the worker writes the file off the request path with progress,
the owner sees it DONE with a download link that expires; nothing is left RUNNING with nobody writing it."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.app.idempotency import IdempotencyKeyReused
from loyalty.app.offers.commands import ReadExport, StartExport
from loyalty.app.offers.export import PROGRESS_EVERY, export_status, run_export, start_export
from loyalty.domain.exports import DOWNLOAD_LINK_SECONDS, ExportNotFound, file_name
from loyalty.domain.ids import new_id
from loyalty.domain.member_export import BOM, csv_chunks
from loyalty.domain.offers import OfferNotFound
from loyalty.entrypoints.http.render import export_state_answer
from tests.support.apple_passes import an_offer
from tests.support.export_fakes import InMemoryExportFiles, InMemoryExportJobs, RecordingExportQueue
from tests.support.fakes import FrozenClock, InMemoryMembers, InMemoryPassStore, Offers
from tests.support.passes import fresh_pass

BUSINESS = "biz_exportbusiness01"
AT = "2027-03-01T09:00:00.000Z"
NOW = datetime(2027, 3, 1, 9, 5, tzinfo=UTC)


def a_shop(members: int) -> tuple[InMemoryPassStore, str]:
    store = InMemoryPassStore(FrozenClock())
    offer = store.add_offer(an_offer(BUSINESS, name="Coffee Card"))
    for n in range(members):
        pass_ = fresh_pass(
            5,
            f"2026-11-{1 + n % 28:02d}T10:00:00.000Z",
            customer_id=new_id("cus"),
            offer_id=offer.offer_id,
            business_id=BUSINESS,
        )
        store.add_pass(replace(pass_, customer_name=f"ليلى {n}", email=f"m{n}@example.com"))
    return store, offer.offer_id


def rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_started_then_written_off_the_request_path_then_downloadable() -> None:
    store, offer_id = a_shop(1_200)
    jobs, files, queue = InMemoryExportJobs(), InMemoryExportFiles(), RecordingExportQueue()
    started = start_export(Offers(store.offers), jobs, queue, StartExport(BUSINESS, offer_id, None), at=AT)
    assert started.status == "RUNNING" and started.export_id.startswith("exp_")
    export_id = started.export_id
    assert queue.sent == [export_id] and files.files == {}  # nothing written on the request path
    before = export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, export_id), now=NOW))
    assert before == {
        "exportId": export_id,
        "status": "RUNNING",
        "rows": 0,
        "downloadUrl": None,
        "expiresAt": None,
    }

    run_export(InMemoryMembers(store), Offers(store.offers), jobs, files, export_id, last_attempt=False)

    assert jobs.progress_seen == list(range(PROGRESS_EVERY, 1_200, PROGRESS_EVERY))  # rows grew while RUNNING
    after = export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, export_id), now=NOW))
    assert after["status"] == "DONE" and after["rows"] == 1_200
    assert after["downloadUrl"].endswith(f"expires-in={DOWNLOAD_LINK_SECONDS}")
    assert after["expiresAt"] == "2027-03-01T09:20:00.000Z"
    (key,) = files.files
    assert files.files[key].name == "Coffee-Card-members-2027-03-01.csv"
    exported = rows(files.content(key))[1:]
    assert len(exported) == 1_200 and {row[3] for row in exported} == {
        f"m{n}@example.com" for n in range(1_200)
    }


def test_a_retried_key_finds_the_export_it_started() -> None:
    store, offer_id = a_shop(3)
    jobs, queue = InMemoryExportJobs(), RecordingExportQueue()
    offers = Offers(store.offers)
    first = start_export(offers, jobs, queue, StartExport(BUSINESS, offer_id, "k-1"), at=AT)
    again = start_export(
        offers, jobs, queue, StartExport(BUSINESS, offer_id, "k-1"), at="2027-03-01T09:00:01.000Z"
    )
    assert again == first and queue.sent == [first.export_id]
    other = start_export(offers, jobs, queue, StartExport(BUSINESS, offer_id, "k-2"), at=AT)
    assert other.export_id != first.export_id
    # The same key from another business is another export altogether.
    assert start_export(
        Offers({offer_id: replace(store.offers[offer_id], business_id="biz_otherbusiness01")}),
        jobs,
        queue,
        StartExport("biz_otherbusiness01", offer_id, "k-1"),
        at=AT,
    ).export_id not in (first.export_id, other.export_id)


def test_a_retry_within_the_same_millisecond_queues_the_export_once() -> None:
    store, offer_id = a_shop(3)
    jobs, queue = InMemoryExportJobs(), RecordingExportQueue()
    offers = Offers(store.offers)
    first = start_export(offers, jobs, queue, StartExport(BUSINESS, offer_id, "k-1"), at=AT)
    again = start_export(offers, jobs, queue, StartExport(BUSINESS, offer_id, "k-1"), at=AT)
    assert again == first
    assert queue.sent == [first.export_id]  # one file written, not two workers racing on one export


def test_a_retried_key_for_another_offer_is_refused() -> None:
    store, offer_id = a_shop(1)
    second = store.add_offer(an_offer(BUSINESS, name="Tea Card"))
    jobs, queue = InMemoryExportJobs(), RecordingExportQueue()
    start_export(Offers(store.offers), jobs, queue, StartExport(BUSINESS, offer_id, "k"), at=AT)
    with pytest.raises(IdempotencyKeyReused):
        start_export(Offers(store.offers), jobs, queue, StartExport(BUSINESS, second.offer_id, "k"), at=AT)


def test_unknown_and_other_business_offers_and_exports_are_not_found() -> None:
    store, offer_id = a_shop(1)
    jobs, files, queue = InMemoryExportJobs(), InMemoryExportFiles(), RecordingExportQueue()
    with pytest.raises(OfferNotFound):
        start_export(
            Offers(store.offers), jobs, queue, StartExport("biz_otherbusiness01", offer_id, None), at=AT
        )
    with pytest.raises(OfferNotFound):
        start_export(Offers(store.offers), jobs, queue, StartExport(BUSINESS, new_id("off"), None), at=AT)
    assert jobs.exports == {} and queue.sent == []
    mine = start_export(Offers(store.offers), jobs, queue, StartExport(BUSINESS, offer_id, None), at=AT)
    with pytest.raises(ExportNotFound):
        export_state_answer(
            export_status(jobs, files, ReadExport("biz_otherbusiness01", mine.export_id), now=NOW)
        )
    with pytest.raises(ExportNotFound):
        export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, new_id("exp")), now=NOW))
    with pytest.raises(ExportNotFound):
        export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, "not-an-export"), now=NOW))


def test_a_queue_that_refuses_leaves_the_export_failed_not_running() -> None:
    store, offer_id = a_shop(1)
    jobs, files = InMemoryExportJobs(), InMemoryExportFiles()
    with pytest.raises(ConnectionError):
        start_export(
            Offers(store.offers),
            jobs,
            RecordingExportQueue(broken=True),
            StartExport(BUSINESS, offer_id, "k"),
            at=AT,
        )
    (export,) = jobs.exports.values()
    assert (
        export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, export.export_id), now=NOW))[
            "status"
        ]
        == "FAILED"
    )


def test_a_broken_write_drops_the_partial_file_and_fails_on_the_last_attempt_only() -> None:
    store, offer_id = a_shop(300)
    jobs, queue = InMemoryExportJobs(), RecordingExportQueue()
    files = InMemoryExportFiles(fail_after=2)
    export_id = start_export(
        Offers(store.offers), jobs, queue, StartExport(BUSINESS, offer_id, None), at=AT
    ).export_id
    with pytest.raises(OSError):
        run_export(InMemoryMembers(store), Offers(store.offers), jobs, files, export_id, last_attempt=False)
    (broken,) = files.files.values()
    assert broken.abandoned and not broken.finished
    assert (
        export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, export_id), now=NOW))["status"]
        == "RUNNING"
    )  # the queue retries
    with pytest.raises(OSError):
        run_export(InMemoryMembers(store), Offers(store.offers), jobs, files, export_id, last_attempt=True)
    state = export_state_answer(export_status(jobs, files, ReadExport(BUSINESS, export_id), now=NOW))
    assert state["status"] == "FAILED" and state["downloadUrl"] is None


def test_a_job_delivered_twice_is_written_once() -> None:
    store, offer_id = a_shop(5)
    jobs, files, queue = InMemoryExportJobs(), InMemoryExportFiles(), RecordingExportQueue()
    export_id = start_export(
        Offers(store.offers), jobs, queue, StartExport(BUSINESS, offer_id, None), at=AT
    ).export_id
    members = InMemoryMembers(store)
    run_export(members, Offers(store.offers), jobs, files, export_id, last_attempt=False)
    pages = members.pages
    again = run_export(members, Offers(store.offers), jobs, files, export_id, last_attempt=False)
    assert again is not None and again.rows == 5 and members.pages == pages


def test_the_file_name_keeps_arabic_and_drops_what_a_file_name_cannot_hold() -> None:
    assert file_name("قهوة / الصباح", AT) == "قهوة-الصباح-members-2027-03-01.csv"
    assert file_name("../..", AT) == "offer-members-2027-03-01.csv"


member = st.fixed_dictionaries(
    {
        "name": st.text(max_size=30),
        "email": st.text(max_size=30),
        "customerId": st.text(alphabet="abc=+-@", max_size=8),
    }
)


@settings(max_examples=200)
@given(st.lists(member, max_size=8))
def test_any_members_read_back_cell_for_cell_and_none_starts_a_formula(members: list[dict[str, str]]) -> None:
    """Whatever the cells hold (commas, quotes, line breaks, Arabic, formula starts), Excel's CSV reading gives
    back one row per member and each cell as typed, an apostrophe before anything Excel would evaluate."""
    data = b"".join(csv_chunks(members))
    text = data.decode("utf-8")
    # The file starts with one BOM; a cell may hold one too (the generator types any text), read back as typed.
    assert text.startswith(BOM) and text.count(BOM) == 1 + sum(
        typed[name].count(BOM) for typed in members for name in ("customerId", "name", "email")
    )
    read = list(csv.reader(io.StringIO(text[len(BOM) :], newline="")))[1:]
    assert len(read) == len(members)
    for typed, row in zip(members, read, strict=True):
        for cell, value in ((row[0], typed["customerId"]), (row[2], typed["name"]), (row[3], typed["email"])):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert cell == value or (cell == "'" + value and value[:1] in ("=", "+", "-", "@", "\t", "\r"))
