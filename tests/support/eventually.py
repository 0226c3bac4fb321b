"""Waiting for what the table stream writes a moment after a request answered (issue 15: the ledger, a stream
consumer, writes a pass change's audit event and stats counters), without sleeping blindly."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(
    read: Callable[[], T], until: Callable[[T], bool], timeout: float = 10.0, interval: float = 0.05
) -> T:
    """Call `read` until `until(value)` holds and return that value; after `timeout` seconds fail with the last
    value seen. The predicate says when the expected state has arrived (e.g. "at least 4 events"): the caller then
    asserts the exact value, so waiting never turns a wrong count into a pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value):
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not there within {timeout:g} s; last seen: {value!r}")
        time.sleep(interval)


def at_least(expected: dict[str, int]) -> Callable[[dict[str, int]], bool]:
    """A predicate on counters: every named counter has reached its expected value (exactness is asserted after)."""
    return lambda counts: all(counts.get(name, 0) >= value for name, value in expected.items())
