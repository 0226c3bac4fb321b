"""The table's stream → wallet passes: Google Wallet objects and Apple Wallet pushes follow every pass change.

Subscribed in template.yaml with ReportBatchItemFailures: a record whose update failed comes back, in order."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.adapters.apple.wiring import default_notifier
from loyalty.adapters.aws_clients import client
from loyalty.adapters.dynamodb.offers import OfferStore
from loyalty.adapters.google.environment import google_wallet_passes
from loyalty.adapters.metrics import metrics
from loyalty.adapters.sqs.refresh_queue import SqsRefreshQueue
from loyalty.adapters.wallet_timing import slowest_pass_update_seconds
from loyalty.app.wallet_refresh import LadderRefreshStarter
from loyalty.app.wallet_sync import Wallets, sync_batch
from loyalty.settings import get_settings

logger = Logger()
RECORD_RESERVE_SECONDS = slowest_pass_update_seconds()


@cache
def wallets() -> Wallets:
    return Wallets(
        offers=OfferStore(client("dynamodb"), get_settings().table_name),
        apple=default_notifier(),
        google=google_wallet_passes(),
        ladders=_ladder_refresh(),
    )


def _ladder_refresh() -> LadderRefreshStarter | None:
    queue_url = get_settings().wallet_refresh_queue_url
    return LadderRefreshStarter(SqsRefreshQueue(client("sqs"), queue_url)) if queue_url else None


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed_from = sync_batch(
        event.get("Records", []),
        wallets(),
        seconds_left=lambda: context.get_remaining_time_in_millis() / 1000,
        reserve_seconds=RECORD_RESERVE_SECONDS,
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed_from]}
