"""Weekly (EventBridge Scheduler): idle passes expire (loyalty.entrypoints.schedule.expiry), then the passes
soon due hear their expiry reminder (loyalty.entrypoints.schedule.reminders)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import bootstrap
from loyalty.app.metrics import metrics
from loyalty.entrypoints.schedule.expiry import ExpiryRunIncomplete, expire_passes
from loyalty.entrypoints.schedule.reminders import ReminderRunIncomplete, send_reminders

__all__ = ["ExpiryRunIncomplete", "ReminderRunIncomplete", "handler"]

logger = Logger()
# Validated at cold start: a mistyped threshold fails loudly instead of expiring the wrong passes.
settings = bootstrap.settings()
index = bootstrap.activity_index()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    days = settings.pass_inactivity_expiration_days
    summary = expire_passes(index, days, event, context.get_remaining_time_in_millis)
    if event.get("dryRun") is True:
        return summary
    reminders = send_reminders(
        bootstrap.reminder_index(), bootstrap.offer_store(), days, context.get_remaining_time_in_millis
    )
    return {**summary, "reminders": reminders}
