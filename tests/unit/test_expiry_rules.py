"""Inactivity rules: the days setting and where the cutoff falls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import (
    DEFAULT_INACTIVITY_DAYS,
    MAX_INACTIVITY_DAYS,
    ExpiryCutoff,
    InvalidInactivityDays,
    parse_inactivity_days,
)

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
moments = st.datetimes(
    min_value=datetime(2001, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)
day_counts = st.integers(min_value=1, max_value=MAX_INACTIVITY_DAYS)


@pytest.mark.parametrize(
    ("raw", "days"), [(None, 90), ("", 90), ("  ", 90), ("30", 30), (" 7 ", 7), (365, 365)]
)
def test_days_setting_accepts_positive_integers_and_defaults_to_90(raw: str | int | None, days: int) -> None:
    assert parse_inactivity_days(raw) == days
    assert DEFAULT_INACTIVITY_DAYS == 90


@pytest.mark.parametrize(
    "raw", ["0", "-5", "+5", "4.5", "ninety", "1e2", "٣٠", "9 0", 0, -1, True, str(MAX_INACTIVITY_DAYS + 1)]
)
def test_days_setting_refuses_anything_but_a_positive_integer(raw: str | int) -> None:
    with pytest.raises(InvalidInactivityDays):
        parse_inactivity_days(raw)


def test_91_days_idle_is_inactive_and_89_days_is_not() -> None:
    cutoff = ExpiryCutoff(as_of=NOW, days=90)
    assert cutoff.is_inactive(to_iso(NOW - timedelta(days=91)))
    assert not cutoff.is_inactive(to_iso(NOW - timedelta(days=89)))


def test_activity_exactly_at_the_cutoff_keeps_the_pass() -> None:
    cutoff = ExpiryCutoff(as_of=NOW, days=90)
    assert cutoff.iso == "2026-08-24T02:00:00.000Z"
    assert not cutoff.is_inactive("2026-08-24T02:00:00.000Z")
    assert cutoff.is_inactive("2026-08-24T01:59:59.999Z")


def test_as_of_must_carry_a_timezone() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ExpiryCutoff(as_of=datetime(2026, 11, 22), days=90)


@given(
    as_of=moments, days=day_counts, idle=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4000))
)
def test_inactive_exactly_when_idle_longer_than_the_threshold(
    as_of: datetime, days: int, idle: timedelta
) -> None:
    cutoff = ExpiryCutoff(as_of=as_of, days=days)
    last_activity = as_of - idle
    expected = to_iso(last_activity) < to_iso(as_of - timedelta(days=days))
    assert cutoff.is_inactive(to_iso(last_activity)) is expected
    # Stored timestamps have millisecond precision: beyond a millisecond of slack, string order is time order.
    if idle > timedelta(days=days, milliseconds=1):
        assert cutoff.is_inactive(to_iso(last_activity))
    if idle < timedelta(days=days) - timedelta(milliseconds=1):
        assert not cutoff.is_inactive(to_iso(last_activity))


@given(
    as_of=moments, days=day_counts, idle=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=4000))
)
def test_a_legacy_index_sort_key_is_below_the_cutoff_exactly_when_the_pass_is_inactive(
    as_of: datetime, days: int, idle: timedelta
) -> None:
    """An entry written before the weekly key (`<lastActivityAt>#...`): the job's Query (`GSI1SK < cutoff`)
    selects it exactly as the rule does. (The weekly key: tests/unit/test_expiry_run.py.)"""
    cutoff = ExpiryCutoff(as_of=as_of, days=days)
    stamped = to_iso(as_of - idle)
    sort_key = f"{stamped}#cus_abcdefghijklmnop#off_abcdefghijklmnop"
    assert (sort_key < cutoff.iso) is cutoff.is_inactive(stamped)
