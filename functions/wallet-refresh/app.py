"""The wallet refresh queue → every wallet of an offer redrawn after its tier ladder changed (wallet_refresh).

Subscribed in template.yaml to WalletRefreshQueue with ReportBatchItemFailures: a message whose work failed
comes back after its visibility timeout, and after five receipts it rests in WalletRefreshFailures."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.metrics import metrics
from loyalty.app.wallets.refresh import MalformedRefreshMessage, parse_message
from loyalty.bootstrap import slowest_pass_update_seconds, wallet_refresh

logger = Logger()
PASS_RESERVE_SECONDS = slowest_pass_update_seconds()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failures: list[dict[str, str]] = []
    for record in event.get("Records", []):
        message_id = str(record["messageId"])
        try:
            message = parse_message(str(record.get("body", "")))
        except MalformedRefreshMessage as problem:
            logger.error("dropping a message this queue never carries", extra={"problem": str(problem)})
            continue
        try:
            redrawn = wallet_refresh().handle(
                message,
                time_left=lambda: context.get_remaining_time_in_millis() / 1000 > PASS_RESERVE_SECONDS,
            )
        except Exception:
            logger.exception("wallet refresh failed; the message comes back", extra={"messageId": message_id})
            failures.append({"itemIdentifier": message_id})
            continue
        if redrawn:
            logger.info("wallets redrawn", extra={"offerId": message.offer_id, "passes": redrawn})
    return {"batchItemFailures": failures}
