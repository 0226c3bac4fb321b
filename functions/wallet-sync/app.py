"""The table's stream → wallet passes: Google Wallet objects and Apple Wallet pushes follow every pass change.

Subscribed in template.yaml with ReportBatchItemFailures: a record whose update failed comes back, in order."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.metrics import metrics
from loyalty.bootstrap import slowest_pass_update_seconds
from loyalty.entrypoints.streams.wallet_sync import wallet_sync_batch

logger = Logger()
RECORD_RESERVE_SECONDS = slowest_pass_update_seconds()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return wallet_sync_batch(
        event,
        seconds_left=lambda: context.get_remaining_time_in_millis() / 1000,
        reserve_seconds=RECORD_RESERVE_SECONDS,
    )
