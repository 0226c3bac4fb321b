"""Weekly inactivity expiry: every pass idle since before the cutoff becomes EXPIRED.

Cost follows what expires, not the table: the run reads only activity-index entries below its bound and expires
each in one write conditional on the pass's real last activity, nothing read first; each expired pass leaves the
index in that write. The index keys a pass by the month of its last activity, so the weekly schedule's bound is the
cutoff's month (`ExpiryCutoff.whole_months`): every entry it reads expires. An exact cutoff (an operator's
`--as-of`) reads the cutoff's month too, and keeps the passes of it active after the cutoff.

Resumable without a cursor: because expired passes leave the index, a run that stops early (out of Lambda
time) leaves exactly the unfinished work in the index, and the next run, starting from the top of every shard,
finds only that. For the same reason a second run over finished work reads nothing and expires nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from loyalty.app.ports.expiry import ExpiryOutcome, IdlePassIndex
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.expiry import ExpiryCutoff

# Kept back from the Lambda deadline for the write in flight, the summary log line and the metrics flush.
DEFAULT_TIME_RESERVE_MS = 10_000


@dataclass
class ExpiryRun:
    """What one run did; `summary()` is what operators read (CLI output, the run's log line)."""

    cutoff: ExpiryCutoff
    dry_run: bool
    examined: int = 0
    expired: int = 0
    kept_recent_activity: int = 0
    already_inactive: int = 0
    would_expire: int = 0
    index_items_read: int = 0
    shards_completed: int = 0
    finished: bool = False
    # The passes expired (or, in a dry run, that would expire), when the run was asked to list them.
    listed: list[tuple[str, str]] | None = None

    def summary(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "expired": self.expired,
            "examined": self.examined,
            "cutoff": self.cutoff.iso,
            "lastActivityBefore": self.cutoff.bound,
            "asOf": to_iso(self.cutoff.as_of),
            "days": self.cutoff.days,
            "dryRun": self.dry_run,
            "finished": self.finished,
            "keptRecentActivity": self.kept_recent_activity,
            "alreadyInactive": self.already_inactive,
            "indexItemsRead": self.index_items_read,
            "shardsCompleted": self.shards_completed,
        }
        if self.dry_run:
            answer["wouldExpire"] = self.would_expire
        if self.listed is not None:
            answer["passes"] = [{"customerId": c, "offerId": o} for c, o in self.listed]
        return answer


def expire_inactive_passes(
    index: IdlePassIndex,
    cutoff: ExpiryCutoff,
    *,
    clock: Clock,
    remaining_ms: Callable[[], int] | None = None,
    time_reserve_ms: int = DEFAULT_TIME_RESERVE_MS,
    dry_run: bool = False,
    list_passes: bool = False,
) -> ExpiryRun:
    """Expire every pass idle since before `cutoff`, shard by shard, until done or out of time.

    `remaining_ms` is the Lambda context's `get_remaining_time_in_millis` (None: no deadline, as on the
    command line). The run checks it before every read and every write and stops cleanly, with
    `finished=False`, once less than `time_reserve_ms` is left; every write made is complete on its own.

    A dry run reads the same entries and passes and writes nothing: `wouldExpire` is what a real run would expire
    (against an exact cutoff the candidates `examined` include passes active in the cutoff's month after it, which
    a run reads and keeps). `list_passes` names them in the summary (`passes`: each one's customer and offer ids).
    """
    run = ExpiryRun(cutoff=cutoff, dry_run=dry_run, listed=[] if list_passes else None)

    def out_of_time() -> bool:
        return remaining_ms is not None and remaining_ms() < time_reserve_ms

    for shard in range(index.shards):
        resume_after: Mapping[str, Any] | None = None
        while True:
            if out_of_time():
                return run
            page = index.idle_page(shard, cutoff.bound, resume_after)
            run.index_items_read += page.items_read
            for idle in page.passes:
                if out_of_time():
                    return run
                run.examined += 1
                if dry_run:
                    outcome = index.judge(idle, cutoff.bound)
                else:
                    outcome = index.expire(idle, cutoff.bound, to_iso(clock()))
                _record(run, outcome, dry_run=dry_run)
                if outcome is ExpiryOutcome.EXPIRED and run.listed is not None:
                    run.listed.append((idle.customer_id, idle.offer_id))
            if page.resume_after is None:
                break
            resume_after = page.resume_after
        run.shards_completed += 1
    run.finished = True
    return run


def _record(run: ExpiryRun, outcome: ExpiryOutcome, *, dry_run: bool = False) -> None:
    if outcome is ExpiryOutcome.EXPIRED and dry_run:
        run.would_expire += 1
    elif outcome is ExpiryOutcome.EXPIRED:
        run.expired += 1
    elif outcome is ExpiryOutcome.RECENT_ACTIVITY:
        run.kept_recent_activity += 1
    else:
        run.already_inactive += 1
