"""The wallet refresh queue → every wallet of an offer redrawn after its tier ladder changed (wallet_refresh).

Subscribed in template.yaml to WalletRefreshQueue with ReportBatchItemFailures: a message whose work failed
comes back after its visibility timeout, and after five receipts it rests in WalletRefreshFailures."""

from functools import cache
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.adapters.apple.wiring import default_notifier
from loyalty.adapters.aws_clients import client
from loyalty.adapters.dynamodb.offer_passes import OfferPassStore
from loyalty.adapters.dynamodb.offers import OfferStore
from loyalty.adapters.google.environment import google_wallet_passes
from loyalty.adapters.metrics import metrics
from loyalty.adapters.sqs.refresh_queue import SqsRefreshQueue
from loyalty.adapters.wallet_timing import slowest_pass_update_seconds
from loyalty.app.wallet_refresh import MalformedRefreshMessage, WalletRefresh, parse_message
from loyalty.domain.clock import utc_now
from loyalty.settings import get_settings

logger = Logger()
PASS_RESERVE_SECONDS = slowest_pass_update_seconds()


@cache
def refresh() -> WalletRefresh:
    settings = get_settings()
    if not settings.wallet_refresh_queue_url:
        raise RuntimeError("WALLET_REFRESH_QUEUE_URL is not set")
    dynamodb = client("dynamodb")
    return WalletRefresh(
        offers=OfferStore(dynamodb, settings.table_name),
        passes=OfferPassStore(dynamodb, settings.table_name),
        queue=SqsRefreshQueue(client("sqs"), settings.wallet_refresh_queue_url),
        apple=default_notifier(),
        google=google_wallet_passes(),
        clock=utc_now,
    )


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
            redrawn = refresh().handle(
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
