"""Weekly (EventBridge Scheduler): idle passes expire (loyalty.entrypoints.schedule.expiry)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import bootstrap
from loyalty.app.metrics import metrics
from loyalty.entrypoints.schedule.expiry import ExpiryRunIncomplete, expire_passes

__all__ = ["ExpiryRunIncomplete", "handler"]

logger = Logger()
# Validated at cold start: a mistyped threshold fails loudly instead of expiring the wrong passes.
settings = bootstrap.settings()
index = bootstrap.activity_index()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return expire_passes(
        index, settings.pass_inactivity_expiration_days, event, context.get_remaining_time_in_millis
    )
