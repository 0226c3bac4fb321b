"""Fixed rate-limit windows: aligned for every container, and a Retry-After that is whole and never 0."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loyalty.domain.throttle import RateLimit


def test_windows_are_aligned_and_retry_after_counts_to_the_next_one() -> None:
    rate = RateLimit(20, 60)
    now = datetime(2026, 11, 23, 12, 0, 59, 900000, tzinfo=UTC)
    assert rate.window_start(now) == int(datetime(2026, 11, 23, 12, 0, tzinfo=UTC).timestamp())
    assert rate.retry_after(now) == 1
    assert rate.retry_after(datetime(2026, 11, 23, 12, 0, 0, tzinfo=UTC)) == 60


@pytest.mark.parametrize(("limit", "window"), [(0, 60), (5, 0)])
def test_a_limit_that_allows_nothing_is_a_configuration_error(limit: int, window: int) -> None:
    with pytest.raises(ValueError, match="at least"):
        RateLimit(limit, window)
