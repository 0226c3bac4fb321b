"""The campaign queue → a campaign's fan-out (app/campaigns/fanout.py): plans, deliveries to each recipient's
wallets, and Google messages held back by the pass's notification window.

Subscribed in template.yaml to CampaignQueue with ReportBatchItemFailures: a message whose work failed comes back
after its visibility timeout (each recipient is marked once, so a retry sends nobody twice), and after five
receipts it rests in CampaignFailures."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.campaigns.fanout import CampaignMessage, MalformedCampaignMessage, parse_message
from loyalty.app.metrics import metrics
from loyalty.bootstrap import campaign_fanout, slowest_pass_update_seconds
from loyalty.entrypoints.queues.batch import Delivery, work_through_batch

logger = Logger()
PASS_RESERVE_SECONDS = slowest_pass_update_seconds()


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    def send(delivery: Delivery[CampaignMessage]) -> None:
        tally = campaign_fanout().handle(
            delivery.message,
            time_left=lambda: context.get_remaining_time_in_millis() / 1000 > PASS_RESERVE_SECONDS,
        )
        if tally.sent or tally.deferred:
            logger.info(
                "campaign delivered",
                extra={"campaignId": getattr(delivery.message, "campaign_id", None), **tally.counts()},
            )

    return work_through_batch(
        event,
        parse_message,
        send,
        malformed=MalformedCampaignMessage,
        log=logger,
        failed="campaign work failed; the message comes back",
    )
