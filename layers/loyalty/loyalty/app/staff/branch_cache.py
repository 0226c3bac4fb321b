"""A business's active branches as the scanner's routes check them: kept for a short while per container, like
the offers (docs/decisions/0012), so that a scan reads nothing before its one write. A branch archived reaches
every container within `max_age` seconds; a branch just added is seen at once (a branch the kept set lacks is
read again, at most once a second per business)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

BranchesRead = Callable[[str], set[str]]
RECHECK_SECONDS = 1.0


@dataclass
class _Kept:
    branch_ids: set[str]
    read_at: float


class CachedBranches:
    def __init__(
        self,
        read: BranchesRead,
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 256,
    ) -> None:
        self._read = read
        self._max_age = max_age
        self._monotonic = monotonic
        self._size = size
        self._kept: dict[str, _Kept] = {}
        self.reads = 0

    def _fresh(self, business_id: str, now: float) -> set[str]:
        self.reads += 1
        branch_ids = self._read(business_id)
        if len(self._kept) >= self._size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[business_id] = _Kept(branch_ids, now)
        return branch_ids

    def has(self, business_id: str, branch_id: str) -> bool:
        """Whether `branch_id` is an active branch of the business."""
        now = self._monotonic()
        kept = self._kept.get(business_id)
        if kept is None or now >= kept.read_at + self._max_age:
            return branch_id in self._fresh(business_id, now)
        if branch_id in kept.branch_ids:
            return True
        if now >= kept.read_at + min(RECHECK_SECONDS, self._max_age):
            return branch_id in self._fresh(business_id, now)
        return False
