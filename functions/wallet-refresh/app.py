"""The wallet refresh queue → every wallet of an offer redrawn after its tier ladder changed (wallet_refresh).

Subscribed in template.yaml to WalletRefreshQueue with ReportBatchItemFailures: a message whose work failed
comes back after its visibility timeout, and after five receipts it rests in WalletRefreshFailures."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.metrics import metrics
from loyalty.app.wallets.refresh import MalformedRefreshMessage, RefreshMessage, parse_message
from loyalty.bootstrap import slowest_pass_update_seconds, wallet_refresh
from loyalty.entrypoints.queues.batch import Delivery, work_through_batch

logger = Logger()
PASS_RESERVE_SECONDS = slowest_pass_update_seconds()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    def refresh(delivery: Delivery[RefreshMessage]) -> None:
        redrawn = wallet_refresh().handle(
            delivery.message,
            time_left=lambda: context.get_remaining_time_in_millis() / 1000 > PASS_RESERVE_SECONDS,
        )
        if redrawn:
            logger.info("wallets redrawn", extra={"offerId": delivery.message.offer_id, "passes": redrawn})

    return work_through_batch(
        event,
        parse_message,
        refresh,
        malformed=MalformedRefreshMessage,
        log=logger,
        failed="wallet refresh failed; the message comes back",
        about=lambda message: {"offerId": message.offer_id},
    )
