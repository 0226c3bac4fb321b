"""A business's active branches as the scanner's routes check them: kept for a short while per container, like
the offers (docs/decisions/0012), so that a scan reads nothing before its one write. A branch archived reaches
every container within `max_age` seconds; a branch just added is seen at once (a branch the kept set lacks is
read again, at most once a second per business)."""

from __future__ import annotations

import time
from collections.abc import Callable

from loyalty.app.kept import KeptFor

BranchesRead = Callable[[str], set[str]]
RECHECK_SECONDS = 1.0


class CachedBranches:
    def __init__(
        self,
        read: BranchesRead,
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 256,
    ) -> None:
        self._kept = KeptFor(read, max_age, monotonic, size)

    @property
    def reads(self) -> int:
        return self._kept.reads

    def has(self, business_id: str, branch_id: str) -> bool:
        """Whether `branch_id` is an active branch of the business."""
        kept = self._kept
        now = kept.monotonic()
        branch_ids, read_at = kept.get(business_id, now)
        if branch_id in branch_ids or read_at == now:
            return branch_id in branch_ids
        if now >= read_at + min(RECHECK_SECONDS, kept.max_age):
            return branch_id in kept.read(business_id, now)
        return False
