"""A business's active branches as the scanner's routes check them: kept for a short while per container, like
the offers (docs/decisions/0012), so that a scan reads nothing before its one write. A branch archived reaches
every container within `max_age` seconds; a branch just added is seen at once (a branch the kept set lacks is
read again, at most once a second per business)."""

from __future__ import annotations

from collections.abc import Callable

from loyalty.app.kept import KeptFor

BranchesRead = Callable[[str], set[str]]
RECHECK_SECONDS = 1.0


class CachedBranches(KeptFor[set[str]]):
    def has(self, business_id: str, branch_id: str) -> bool:
        """Whether `branch_id` is an active branch of the business."""
        now = self.monotonic()
        branch_ids, read_at = self.get(business_id, now)
        if branch_id in branch_ids or read_at == now:
            return branch_id in branch_ids
        if now >= read_at + min(RECHECK_SECONDS, self.max_age):
            return branch_id in self.read(business_id, now)
        return False
