"""The expiry run's orchestration over an in-memory activity index: paging, deadlines, dry runs, reruns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.activity_index import idle_pass_of
from loyalty.adapters.dynamodb.keys import ACTIVITY_SHARDS, activity_index_keys
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePage, IdlePass
from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import ExpiryCutoff, activity_month, activity_week

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
CUTOFF = ExpiryCutoff(as_of=NOW, days=90)


@dataclass
class StoredPass:
    status: str
    last_activity_at: str
    index: dict[str, str] | None


class InMemoryActivityIndex:
    """Behaves as GSI1 over pass items: sparse, sharded, sorted, paged, with the same conditional expiry."""

    shards = ACTIVITY_SHARDS

    def __init__(self, page_size: int = 3) -> None:
        self.page_size = page_size
        self.passes: dict[tuple[str, str], StoredPass] = {}
        self.reads = 0

    def add(self, customer_id: str, offer_id: str, idle_days: float, *, legacy: bool = False) -> None:
        at = to_iso(NOW - timedelta(days=idle_days))
        keys = activity_index_keys(customer_id, offer_id, at)
        if legacy:  # as written before the weekly key: the exact moment
            keys["GSI1SK"] = f"{at}#{customer_id}#{offer_id}"
        self.passes[(customer_id, offer_id)] = StoredPass("ACTIVE", at, keys)

    def idle_page(self, shard: int, bound: str, resume_after: Mapping[str, Any] | None = None) -> IdlePage:
        # GSI1 orders a shard's entries by sort key, then by the pass's own key (sort keys need not be unique).
        entries = sorted(
            (p.index["GSI1SK"], f"PASS#{customer_id}#{offer_id}")
            for (customer_id, offer_id), p in self.passes.items()
            if p.index and p.index["GSI1PK"] == f"ACTIVE#{shard}" and p.index["GSI1SK"] < bound
        )
        if resume_after:
            entries = [e for e in entries if e > (resume_after["GSI1SK"], resume_after["PK"])]
        page = entries[: self.page_size]
        self.reads += len(page)
        more = len(entries) > self.page_size
        passes = [idle_pass_of(partition, sort_key) for sort_key, partition in page]
        resume = {"GSI1SK": page[-1][0], "PK": page[-1][1]} if more else None
        return IdlePage(passes=passes, resume_after=resume, items_read=len(page))

    def judge(self, idle: IdlePass, cutoff_iso: str) -> ExpiryOutcome:
        stored = self.passes[(idle.customer_id, idle.offer_id)]
        if stored.status != "ACTIVE":
            return ExpiryOutcome.NOT_ACTIVE
        if not stored.last_activity_at < cutoff_iso:
            return ExpiryOutcome.RECENT_ACTIVITY
        return ExpiryOutcome.EXPIRED

    def expire(self, idle: IdlePass, cutoff_iso: str, now_iso: str) -> ExpiryOutcome:
        outcome = self.judge(idle, cutoff_iso)
        if outcome is ExpiryOutcome.EXPIRED:
            stored = self.passes[(idle.customer_id, idle.offer_id)]
            stored.status, stored.index = "EXPIRED", None
        return outcome

    def statuses(self) -> dict[tuple[str, str], str]:
        return {key: p.status for key, p in self.passes.items()}


class Countdown:
    """A Lambda deadline that leaves room for `checks` more checks, then reports almost no time left."""

    def __init__(self, checks: int) -> None:
        self.checks = checks

    def __call__(self) -> int:
        self.checks -= 1
        return 60_000 if self.checks >= 0 else 500


def populated(idle_days: list[float], page_size: int = 3) -> InMemoryActivityIndex:
    index = InMemoryActivityIndex(page_size)
    for n, days in enumerate(idle_days):
        index.add(f"cus_{n:020d}", "off_00000000000000000000", days)
    return index


def test_expires_exactly_the_passes_idle_longer_than_the_threshold() -> None:
    index = populated([91, 89, 200, 10, 90.5, 0])
    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW)
    assert run.finished
    assert run.expired == 3
    # 89 days ago is in the cutoff's month (the index keys the month): read as a candidate and kept.
    assert (run.examined, run.kept_recent_activity) == (4, 1)
    assert sorted(s for s in index.statuses().values()) == ["ACTIVE"] * 3 + ["EXPIRED"] * 3
    assert index.passes[("cus_00000000000000000000", "off_00000000000000000000")].status == "EXPIRED"
    assert index.passes[("cus_00000000000000000001", "off_00000000000000000000")].status == "ACTIVE"


def test_dry_run_reports_what_would_expire_and_changes_nothing() -> None:
    index = populated([91, 95, 30])
    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, dry_run=True)
    assert set(index.statuses().values()) == {"ACTIVE"}
    assert run.summary()["wouldExpire"] == 2
    assert run.summary()["expired"] == 0
    assert run.finished


def test_list_names_the_passes_that_would_expire_and_then_those_that_did() -> None:
    index = populated([91, 95, 30])
    idle = sorted(key for key, p in index.passes.items() if p.last_activity_at < CUTOFF.iso)
    preview = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, dry_run=True, list_passes=True)
    named = sorted((p["customerId"], p["offerId"]) for p in preview.summary()["passes"])
    assert named == idle and len(named) == preview.summary()["wouldExpire"] == 2
    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, list_passes=True)
    assert sorted((p["customerId"], p["offerId"]) for p in run.summary()["passes"]) == idle
    # Without --list the summary names nobody.
    assert "passes" not in expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, dry_run=True).summary()


def test_out_of_time_stops_cleanly_and_a_later_run_finishes() -> None:
    index = populated([100 + n for n in range(40)])
    first = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, remaining_ms=Countdown(12))
    assert not first.finished
    assert 0 < first.expired < 40
    assert list(index.statuses().values()).count("EXPIRED") == first.expired

    second = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, remaining_ms=Countdown(10_000))
    assert second.finished
    assert first.expired + second.expired == 40
    assert second.examined == 40 - first.expired, "the second run reads only the unfinished work"
    assert set(index.statuses().values()) == {"EXPIRED"}


def test_no_time_at_all_does_nothing_and_says_so() -> None:
    index = populated([120, 130])
    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, remaining_ms=lambda: 0)
    assert not run.finished
    assert (run.examined, run.expired, index.reads) == (0, 0, 0)


def test_a_second_run_expires_nothing_and_reads_nothing() -> None:
    index = populated([100, 150, 2])
    expire_inactive_passes(index, CUTOFF, clock=lambda: NOW)
    reads = index.reads
    again = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW)
    assert again.finished
    assert (again.expired, again.examined) == (0, 0)
    assert index.reads == reads


def test_summary_names_the_contract_fields() -> None:
    run = expire_inactive_passes(populated([91]), CUTOFF, clock=lambda: NOW)
    summary = run.summary()
    assert {"expired": 1, "examined": 1, "cutoff": "2026-08-24T02:00:00.000Z"}.items() <= summary.items()
    assert summary["asOf"] == "2026-11-22T02:00:00.000Z"
    assert summary["days"] == 90
    assert summary["dryRun"] is False
    assert "wouldExpire" not in summary


@settings(max_examples=60, deadline=None)
@given(
    idle_days=st.lists(st.floats(min_value=0, max_value=400, allow_nan=False), max_size=40),
    page_size=st.integers(min_value=1, max_value=7),
    budget=st.integers(min_value=0, max_value=60),
)
def test_runs_until_finished_expire_exactly_the_idle_passes(
    idle_days: list[float], page_size: int, budget: int
) -> None:
    index = populated(idle_days, page_size)
    expired = 0
    # Each run may be cut short anywhere, given at least the time to query every shard, judge the passes active
    # in the cutoff's own month (the monthly index key lists them; they are read and kept) and make one write.
    allowance = budget + ACTIVITY_SHARDS + 1 + len(idle_days)
    for _ in range(200):
        run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, remaining_ms=Countdown(allowance))
        expired += run.expired
        if run.finished:
            break
    assert run.finished
    expected = {
        (f"cus_{n:020d}", "off_00000000000000000000")
        for n, days in enumerate(idle_days)
        if to_iso(NOW - timedelta(days=days)) < CUTOFF.iso
    }
    assert {key for key, status in index.statuses().items() if status == "EXPIRED"} == expected
    assert expired == len(expected)


# ---------------------------------------------------------------- the monthly activity key

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))


def test_the_week_is_its_monday_in_utc() -> None:
    """Entries from before the monthly key name their week's Monday; the index still reads them."""
    assert activity_week("2026-08-24T00:00:00.000Z") == "2026-08-24"  # a Monday
    assert activity_week("2026-08-30T23:59:59.999Z") == "2026-08-24"  # its Sunday
    assert activity_week("2026-08-31T00:00:00.000Z") == "2026-08-31"
    assert activity_week("2026-08-31T01:00:00+02:00") == "2026-08-24"  # Sunday 23:00 UTC
    assert activity_week("2027-01-01T12:00:00.000Z") == "2026-12-28"  # across a new year


def test_the_month_is_taken_in_utc() -> None:
    assert activity_month("2026-08-01T00:00:00.000Z") == "2026-08"
    assert activity_month("2026-08-31T23:59:59.999Z") == "2026-08"
    assert activity_month("2026-09-01T01:00:00+02:00") == "2026-08"  # 23:00 UTC the day before
    assert activity_month("2027-01-01T00:00:00.000Z") == "2027-01"


@given(a=moments, b=moments)
def test_the_key_changes_only_when_the_month_does(a: datetime, b: datetime) -> None:
    """What a scan writes to GSI1SK: the same value all month, so re-setting it writes nothing to the index."""
    key_a = activity_index_keys("cus_1", "off_1", to_iso(a))
    key_b = activity_index_keys("cus_1", "off_1", to_iso(b))
    same_month = (a.year, a.month) == (b.year, b.month)
    assert (key_a == key_b) is same_month


KEY_SHAPES = st.sampled_from(["month", "week", "moment"])


def _sort_key(last_iso: str, shape: str) -> str:
    """The GSI1SK of a pass last active at `last_iso`, as written now (month) or before (week, moment)."""
    ids = "#cus_00000000000000000000#off_00000000000000000000"  # entries from before held the ids too
    if shape == "week":
        return activity_week(last_iso) + ids
    if shape == "moment":
        return last_iso + ids
    return activity_index_keys("cus_00000000000000000000", "off_00000000000000000000", last_iso)["GSI1SK"]


@settings(max_examples=500, deadline=None)
@given(last=moments, cutoff=moments, shape=KEY_SHAPES)
def test_a_pass_idle_since_before_the_cutoff_is_always_a_candidate(
    last: datetime, cutoff: datetime, shape: str
) -> None:
    """Against an exact cutoff, `GSI1SK < cutoff` finds every idle pass (monthly keys and the weekly and exact
    ones from before), and reads no pass active after the end of the cutoff's month."""
    last_iso, cutoff_iso = to_iso(last), to_iso(cutoff)
    sort_key = _sort_key(last_iso, shape)
    candidate = sort_key < cutoff_iso
    if last_iso < cutoff_iso:
        assert candidate
    if candidate:
        assert activity_month(last_iso) <= activity_month(cutoff_iso)
    idle = idle_pass_of("PASS#cus_00000000000000000000#off_00000000000000000000", sort_key)
    assert idle.bucket in (activity_month(last_iso), activity_week(last_iso))
    assert (idle.customer_id, idle.offer_id) == ("cus_00000000000000000000", "off_00000000000000000000")


@settings(max_examples=500, deadline=None)
@given(last=moments, as_of=moments, shape=KEY_SHAPES)
def test_the_schedules_month_bound_reads_only_what_it_expires(
    last: datetime, as_of: datetime, shape: str
) -> None:
    """Against the weekly schedule's bound (the cutoff's month), a monthly key is read exactly when its pass is
    due; an entry from before may be read and kept, but a due pass is never missed, and no pass idle for less than
    the threshold is ever due."""
    cutoff = ExpiryCutoff(as_of=as_of, days=90, whole_months=True)
    last_iso = to_iso(last)
    sort_key = _sort_key(last_iso, shape)
    due = cutoff.is_inactive(last_iso)
    if due:
        assert sort_key < cutoff.bound
        assert last_iso < cutoff.iso, "never before the exact rule"
    if shape == "month":
        assert (sort_key < cutoff.bound) is due
    if last_iso < to_iso(cutoff.moment - timedelta(days=31)):
        assert due, "at most a month later than the exact rule"


def test_the_weekly_schedule_reads_nothing_it_keeps() -> None:
    """CUTOFF (as scheduled) is Monday 2026-08-24 02:00: the passes last active in August wait for September's
    first run; those of July and before expire, each read once; a second run reads nothing."""
    scheduled = ExpiryCutoff(as_of=NOW, days=90, whole_months=True)
    index = populated([120, 114, 100, 91, 89, 30])  # 2026-07-25, 07-31, 08-14, 08-23, 08-25, 10-23
    run = expire_inactive_passes(index, scheduled, clock=lambda: NOW)
    assert (run.expired, run.examined, index.reads) == (2, 2, 2)
    assert run.summary()["lastActivityBefore"] == "2026-08"

    reads = index.reads
    next_week = expire_inactive_passes(
        index, ExpiryCutoff(NOW + timedelta(days=7), 90, whole_months=True), clock=lambda: NOW
    )
    assert (next_week.expired, next_week.examined, index.reads) == (0, 0, reads), "a quiet run reads nothing"
    september = expire_inactive_passes(
        index, ExpiryCutoff(NOW + timedelta(days=14), 90, whole_months=True), clock=lambda: NOW
    )
    assert (september.expired, september.examined) == (3, 3), "August's idle passes, each read once"
    statuses = [index.passes[(f"cus_{n:020d}", "off_00000000000000000000")].status for n in range(6)]
    assert statuses == ["EXPIRED"] * 5 + ["ACTIVE"]


def test_a_pass_active_in_the_cutoffs_week_after_it_is_read_and_kept() -> None:
    """CUTOFF is Monday 2026-08-24 02:00: a pass last seen that afternoon shares the cutoff's month."""
    index = InMemoryActivityIndex()
    index.add("cus_00000000000000000000", "off_00000000000000000000", 90.01)  # Monday 01:45: idle
    index.add("cus_00000000000000000001", "off_00000000000000000000", 89.5)  # Monday 14:00: active
    index.add("cus_00000000000000000002", "off_00000000000000000000", 89.9, legacy=True)  # Monday 04:24
    index.add("cus_00000000000000000003", "off_00000000000000000000", 95, legacy=True)  # idle

    preview = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW, dry_run=True)
    assert (preview.examined, preview.summary()["wouldExpire"], preview.kept_recent_activity) == (3, 2, 1)
    assert set(index.statuses().values()) == {"ACTIVE"}

    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW)
    assert (run.examined, run.expired, run.kept_recent_activity) == (3, 2, 1)
    expired = {customer for (customer, _), status in index.statuses().items() if status == "EXPIRED"}
    assert expired == {"cus_00000000000000000000", "cus_00000000000000000003"}
