"""Rate-limit counters on DynamoDB Local: exact under concurrency, per subject, per window, with a TTL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.throttle import ThrottleCounters
from loyalty.domain.throttle import RateLimit, TooManyRequests
from loyalty.entrypoints.http.render import render_error

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 23, 12, 0, 15, tzinfo=UTC)


def allowed(counters: ThrottleCounters, subject: str, rate: RateLimit, now: datetime) -> bool:
    try:
        counters.check("enroll-address", subject, rate, now)
    except TooManyRequests:
        return False
    return True


def test_forty_concurrent_requests_let_exactly_the_limit_through(ddb: Any, table_name: str) -> None:
    counters = ThrottleCounters(ddb, table_name)
    rate = RateLimit(20, 60)
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda _: allowed(counters, "203.0.113.7", rate, NOW), range(40)))
    assert outcomes.count(True) == 20


def test_a_refusal_says_when_the_window_ends(ddb: Any, table_name: str) -> None:
    counters = ThrottleCounters(ddb, table_name)
    rate = RateLimit(1, 60)
    counters.check("enroll-address", "203.0.113.7", rate, NOW)
    with pytest.raises(TooManyRequests) as refused:
        counters.check("enroll-address", "203.0.113.7", rate, NOW)
    answer = render_error(refused.value)
    assert answer.status == 429 and refused.value.code == "TOO_MANY_REQUESTS"
    assert answer.headers == {"Retry-After": "45"}


def test_other_subjects_and_the_next_window_are_counted_apart(ddb: Any, table_name: str) -> None:
    counters = ThrottleCounters(ddb, table_name)
    rate = RateLimit(1, 60)
    assert allowed(counters, "203.0.113.7", rate, NOW)
    assert not allowed(counters, "203.0.113.7", rate, NOW)
    assert allowed(counters, "198.51.100.2", rate, NOW)
    assert allowed(counters, "203.0.113.7", rate, NOW + timedelta(seconds=45))


def test_counters_keep_no_address_and_expire(ddb: Any, table_name: str) -> None:
    ThrottleCounters(ddb, table_name).check("enroll-address", "203.0.113.7", RateLimit(5, 60), NOW)
    [item] = ddb.scan(TableName=table_name)["Items"]
    assert "203.0.113.7" not in str(item)
    assert int(item["expiresAt"]["N"]) > NOW.timestamp()


def test_a_spread_limit_counts_different_subjects_not_their_requests(ddb: Any, table_name: str) -> None:
    counters = ThrottleCounters(ddb, table_name)
    each, among = RateLimit(20, 60), RateLimit(10, 60)

    def enroll_from(address: str) -> bool:
        try:
            counters.check_spread(
                ("enroll-address", address, each), ("enroll-offer-addresses", "off_x", among), NOW
            )
        except TooManyRequests:
            return False
        return True

    busy = [f"198.51.100.{n}" for n in range(1, 8)]
    outcomes = [enroll_from(address) for address in busy for _ in range(25)]
    assert outcomes.count(True) == 7 * 20, "each busy address is held to its own limit"
    assert enroll_from("198.51.100.8"), "an eighth address still gets in"
    assert [enroll_from(f"203.0.113.{n}") for n in range(1, 4)] == [True, True, False]
