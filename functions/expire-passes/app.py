"""Weekly (EventBridge Scheduler, Sundays 02:00 UTC): passes idle for PASS_INACTIVITY_EXPIRATION_DAYS expire.

Scheduler invokes asynchronously. A run that runs out of time stops cleanly and raises `ExpiryRunIncomplete`, so
Lambda's asynchronous retries start a fresh run that picks up what is left (the activity index holds exactly the
unfinished work); if even those run out, the event lands in the dead-letter queue for an operator.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import bootstrap
from loyalty.app.metrics import BusinessEvent, count, metrics
from loyalty.app.pass_expiry import expire_inactive_passes
from loyalty.domain.clock import utc_now
from loyalty.domain.expiry import ExpiryCutoff

logger = Logger()
# Validated at cold start: a mistyped threshold fails loudly instead of expiring the wrong passes.
settings = bootstrap.settings()
index = bootstrap.activity_index()


class ExpiryRunIncomplete(RuntimeError):
    """The run stopped before its deadline with work left; a retry continues it."""


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """`event` is the schedule's input; an operator may invoke with `{"dryRun": true}` to preview a run."""
    run = expire_inactive_passes(
        index,
        ExpiryCutoff(as_of=utc_now(), days=settings.pass_inactivity_expiration_days),
        clock=utc_now,
        remaining_ms=context.get_remaining_time_in_millis,
        dry_run=event.get("dryRun") is True,
    )
    summary = run.summary()
    count(BusinessEvent.PASS_EXPIRED, run.expired)
    if run.finished:
        logger.info("pass expiry run finished", extra={"expiry": summary})
        return summary
    logger.warning("pass expiry run out of time, work left for a retry", extra={"expiry": summary})
    raise ExpiryRunIncomplete(f"stopped after expiring {run.expired} passes; a retry continues the work")
