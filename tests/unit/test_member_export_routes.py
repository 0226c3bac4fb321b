"""The members export routes, handler by handler with fakes (no gateway, no table, no bucket): the 202 that names
the export, its progress and then its download link, a retried key answered with the export it started, and the
refusals (a manager, another business's offer or export) with the contract's codes."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from loyalty import bootstrap
from loyalty.app.offers.export import run_export
from loyalty.app.staff.branch_cache import CachedBranches
from loyalty.domain.exports import DOWNLOAD_LINK_SECONDS
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from tests.support.apple_passes import an_offer
from tests.support.export_fakes import InMemoryExportFiles, InMemoryExportJobs, RecordingExportQueue
from tests.support.fakes import InMemoryMembers, InMemoryPassStore, Offers
from tests.support.handlers import Answer, Caller, call, load_handler

BUSINESS = "biz_exportroutes0001"
OWNER = Caller("owner-1", BUSINESS, ("owner",))
MANAGER = Caller("manager-1", BUSINESS, ("manager",), "branch-1")
OTHER_OWNER = Caller("owner-9", "biz_someotherbusiness", ("owner",))


pytestmark = pytest.mark.usefixtures("handler_environment")


@pytest.fixture(scope="module")
def exports() -> ModuleType:
    return load_handler("member-export")


@pytest.fixture
def offer(store: InMemoryPassStore) -> Offer:
    return store.add_offer(an_offer(BUSINESS))


@pytest.fixture
def jobs() -> InMemoryExportJobs:
    return InMemoryExportJobs()


@pytest.fixture
def files() -> InMemoryExportFiles:
    return InMemoryExportFiles()


@pytest.fixture
def queue() -> RecordingExportQueue:
    return RecordingExportQueue()


@pytest.fixture
def provided(
    store: InMemoryPassStore,
    jobs: InMemoryExportJobs,
    files: InMemoryExportFiles,
    queue: RecordingExportQueue,
) -> Iterator[None]:
    branches = CachedBranches(
        lambda business_id: {"branch-1"} if business_id == BUSINESS else set(), max_age=60
    )
    with bootstrap.provided(
        offer_store=Offers(store.offers),
        export_jobs=jobs,
        export_files=files,
        export_queue=queue,
        active_branches=branches,
    ):
        yield


def start(module: ModuleType, caller: Caller, offer_id: str, key: str | None = None) -> Answer:
    headers = {"idempotency-key": key} if key else None
    return call(module, "POST", f"/api/offers/{offer_id}/customers/export", caller=caller, headers=headers)


def progress(module: ModuleType, caller: Caller, export_id: str) -> Answer:
    return call(module, "GET", f"/api/exports/{export_id}", caller=caller)


@pytest.mark.usefixtures("provided")
def test_an_export_starts_202_running_and_reports_its_progress_then_its_link(
    exports: ModuleType,
    offer: Offer,
    store: InMemoryPassStore,
    jobs: InMemoryExportJobs,
    files: InMemoryExportFiles,
    queue: RecordingExportQueue,
) -> None:
    started = start(exports, OWNER, offer.offer_id)
    assert started.status == 202
    assert set(started.body) == {"exportId", "status"} and started.body["status"] == "RUNNING"
    export_id = started.body["exportId"]
    assert queue.sent == [export_id]
    running = progress(exports, OWNER, export_id)
    assert (running.status, running.body) == (
        200,
        {"exportId": export_id, "status": "RUNNING", "rows": 0, "downloadUrl": None, "expiresAt": None},
    )

    run_export(InMemoryMembers(store), Offers(store.offers), jobs, files, export_id, last_attempt=False)

    done = progress(exports, OWNER, export_id)
    assert done.status == 200 and done.body["status"] == "DONE" and done.body["rows"] == 0
    assert done.body["downloadUrl"].endswith(f"expires-in={DOWNLOAD_LINK_SECONDS}")
    assert done.body["expiresAt"].endswith("Z")


@pytest.mark.usefixtures("provided")
def test_a_retried_key_answers_the_export_it_started(
    exports: ModuleType, offer: Offer, queue: RecordingExportQueue
) -> None:
    first = start(exports, OWNER, offer.offer_id, key="export-1")
    again = start(exports, OWNER, offer.offer_id, key="export-1")
    assert (again.status, again.body) == (202, first.body)
    assert set(queue.sent) == {first.body["exportId"]}


@pytest.mark.usefixtures("provided")
def test_refusals_carry_the_contract_codes(
    exports: ModuleType, offer: Offer, queue: RecordingExportQueue
) -> None:
    manager = start(exports, MANAGER, offer.offer_id)
    assert manager.status == 403 and manager.body["error"]["code"] == "FORBIDDEN"
    stranger = start(exports, OTHER_OWNER, offer.offer_id)
    assert stranger.status == 404 and stranger.body["error"]["code"] == "OFFER_NOT_FOUND"
    assert queue.sent == []
    mine = start(exports, OWNER, offer.offer_id).body["exportId"]
    peek = progress(exports, OTHER_OWNER, mine)
    assert peek.status == 404 and peek.body["error"]["code"] == "EXPORT_NOT_FOUND"
    unknown = progress(exports, OWNER, new_id("exp"))
    assert unknown.status == 404 and unknown.body["error"]["code"] == "EXPORT_NOT_FOUND"
    anonymous = call(exports, "GET", f"/api/exports/{mine}", caller=None)
    assert anonymous.status == 401
