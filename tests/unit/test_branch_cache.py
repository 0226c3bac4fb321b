"""The scanner routes' check of a manager's branch reads the business's branches at most once per `max_age` per
container (a scan still makes one DynamoDB request), sees a new branch at once and an archived one within
`max_age`."""

from __future__ import annotations

from loyalty.app.staff.branch_cache import CachedBranches


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_known_branches_are_read_once_per_max_age() -> None:
    active = {"biz_a": {"brn_1"}}
    clock = Clock()
    cache = CachedBranches(lambda business: set(active[business]), 30, clock)
    assert all(cache.has("biz_a", "brn_1") for _ in range(100))
    assert cache.reads == 1
    clock.now += 31
    assert cache.has("biz_a", "brn_1") and cache.reads == 2


def test_an_archived_branch_is_refused_within_max_age() -> None:
    active = {"biz_a": {"brn_1"}}
    clock = Clock()
    cache = CachedBranches(lambda business: set(active[business]), 30, clock)
    assert cache.has("biz_a", "brn_1")
    active["biz_a"] = set()
    clock.now += 29
    assert cache.has("biz_a", "brn_1")  # still kept: the bound, not a bug
    clock.now += 2
    assert not cache.has("biz_a", "brn_1")


def test_a_new_branch_is_seen_at_once_and_a_stranger_costs_one_read_a_second() -> None:
    active = {"biz_a": {"brn_1"}}
    clock = Clock()
    cache = CachedBranches(lambda business: set(active[business]), 30, clock)
    assert cache.has("biz_a", "brn_1")
    active["biz_a"].add("brn_2")
    clock.now += 1.5
    assert cache.has("biz_a", "brn_2")
    reads = cache.reads
    assert not any(cache.has("biz_a", "brn_forged") for _ in range(50))
    assert cache.reads == reads  # just read: no second read within the second
    clock.now += 1.1
    assert not any(cache.has("biz_a", "brn_forged") for _ in range(50))
    assert cache.reads == reads + 1
