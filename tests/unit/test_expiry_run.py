"""The expiry run's orchestration over an in-memory activity index: paging, deadlines, dry runs, reruns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.activity_index import idle_pass_of
from loyalty.adapters.dynamodb.keys import ACTIVITY_SHARDS, activity_index_keys
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import ExpiryCutoff, activity_week
from tests.support.fakes import InMemoryActivityIndex

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
CUTOFF = ExpiryCutoff(as_of=NOW, days=90)


class Countdown:
    """A Lambda deadline that leaves room for `checks` more checks, then reports almost no time left."""

    def __init__(self, checks: int) -> None:
        self.checks = checks

    def __call__(self) -> int:
        self.checks -= 1
        return 60_000 if self.checks >= 0 else 500


def populated(idle_days: list[float], page_size: int = 3) -> InMemoryActivityIndex:
    index = InMemoryActivityIndex(page_size, now=NOW)
    for n, days in enumerate(idle_days):
        index.add(f"cus_{n:020d}", "off_00000000000000000000", days)
    return index


def test_expires_exactly_the_passes_idle_longer_than_the_threshold() -> None:
    index = populated([91, 89, 200, 10, 90.5, 0])
    run = expire_inactive_passes(index, CUTOFF, clock=lambda: NOW)
    assert run.finished
    assert run.expired == 3
    # 89 days ago is in the cutoff's week (the index keys the week): read as a candidate and kept.
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
    # in the cutoff's own week (the weekly index key lists them; they are read and kept) and make one write.
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


# ---------------------------------------------------------------- the weekly activity key

moments = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
).map(lambda moment: moment.replace(microsecond=moment.microsecond // 1000 * 1000))


def test_the_week_is_its_monday_in_utc() -> None:
    assert activity_week("2026-08-24T00:00:00.000Z") == "2026-08-24"  # a Monday
    assert activity_week("2026-08-30T23:59:59.999Z") == "2026-08-24"  # its Sunday
    assert activity_week("2026-08-31T00:00:00.000Z") == "2026-08-31"
    assert activity_week("2026-08-31T01:00:00+02:00") == "2026-08-24"  # Sunday 23:00 UTC
    assert activity_week("2027-01-01T12:00:00.000Z") == "2026-12-28"  # across a new year


@given(a=moments, b=moments)
def test_the_key_changes_only_when_the_week_does(a: datetime, b: datetime) -> None:
    """What a scan writes to GSI1SK: the same value all week, so re-setting it writes nothing to the index."""
    key_a = activity_index_keys("cus_1", "off_1", to_iso(a))
    key_b = activity_index_keys("cus_1", "off_1", to_iso(b))
    same_week = a.isocalendar()[:2] == b.isocalendar()[:2]
    assert (key_a == key_b) is same_week


@settings(max_examples=500, deadline=None)
@given(last=moments, cutoff=moments, legacy=st.booleans())
def test_a_pass_idle_since_before_the_cutoff_is_always_a_candidate(
    last: datetime, cutoff: datetime, legacy: bool
) -> None:
    """The Query's `GSI1SK < cutoff` finds every idle pass (new weekly keys and legacy exact ones), and reads
    no pass active after the end of the cutoff's week."""
    last_iso, cutoff_iso = to_iso(last), to_iso(cutoff)
    keys = activity_index_keys("cus_00000000000000000000", "off_00000000000000000000", last_iso)
    sort_key = f"{last_iso}#cus_00000000000000000000#off_00000000000000000000" if legacy else keys["GSI1SK"]
    candidate = sort_key < cutoff_iso
    if last_iso < cutoff_iso:
        assert candidate
    if candidate:
        cutoff_monday = datetime.fromisoformat(activity_week(cutoff_iso)).replace(tzinfo=UTC)
        assert last < cutoff_monday + timedelta(days=7)
        assert idle_pass_of(sort_key).active_week <= activity_week(cutoff_iso)
    assert idle_pass_of(sort_key).active_week == activity_week(last_iso)


def test_a_pass_active_in_the_cutoffs_week_after_it_is_read_and_kept() -> None:
    """CUTOFF is Monday 2026-08-24 02:00: a pass last seen that afternoon shares the cutoff's week."""
    index = InMemoryActivityIndex(now=NOW)
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
