"""Weekly (EventBridge Scheduler, Sundays 02:00 UTC): passes idle for PASS_INACTIVITY_EXPIRATION_DAYS expire.

Idleness is counted in whole months of last activity (`ExpiryCutoff.whole_months`, decision 0021): the run reads
only the passes it expires, and a pass expires at most a month and a week after its exact day.

Scheduler invokes asynchronously. A run that runs out of time stops cleanly and raises `ExpiryRunIncomplete`, so
Lambda's asynchronous retries start a fresh run that picks up what is left (the activity index holds exactly the
unfinished work); if even those run out, the event lands in the dead-letter queue for an operator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.app.ports.expiry import IdlePassIndex
from loyalty.domain.clock import utc_now
from loyalty.domain.expiry import ExpiryCutoff

logger = Logger()


class ExpiryRunIncomplete(RuntimeError):
    """The run stopped before its deadline with work left; a retry continues it."""


def expire_passes(
    index: IdlePassIndex, inactivity_days: int, event: dict[str, Any], remaining_ms: Callable[[], int]
) -> dict[str, Any]:
    """`event` is the schedule's input; an operator may invoke with `{"dryRun": true}` to preview a run."""
    run = expire_inactive_passes(
        index,
        ExpiryCutoff(as_of=utc_now(), days=inactivity_days, whole_months=True),
        clock=utc_now,
        remaining_ms=remaining_ms,
        dry_run=event.get("dryRun") is True,
    )
    summary = run.summary()
    count(BusinessEvent.PASS_EXPIRED, run.expired)
    if run.finished:
        logger.info("pass expiry run finished", extra={"expiry": summary})
        return summary
    logger.warning("pass expiry run out of time, work left for a retry", extra={"expiry": summary})
    raise ExpiryRunIncomplete(f"stopped after expiring {run.expired} passes; a retry continues the work")
