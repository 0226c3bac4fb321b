"""The members export queue: each message names an export, whose CSV file is written to the export bucket."""

from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.metrics import metrics
from loyalty.app.offers.export import run_export
from loyalty.bootstrap import export_files, export_jobs, member_store, offer_store
from loyalty.entrypoints.queues.batch import Delivery, work_through_batch
from loyalty.entrypoints.queues.export_messages import MalformedExportMessage, export_id_of

logger = Logger()
# The queue's maxReceiveCount (template.yaml, MemberExportQueue): the last delivery marks a failing export FAILED.
LAST_RECEIVE = 3


def _export(delivery: Delivery[str]) -> None:
    done = run_export(
        member_store(),
        offer_store(),
        export_jobs(),
        export_files(),
        delivery.message,
        last_attempt=delivery.receive_count >= LAST_RECEIVE,
    )
    logger.info(
        "export finished",
        extra={
            "exportId": delivery.message,
            "status": done.status.value if done else None,
            "rows": done.rows if done else 0,
        },
    )


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return work_through_batch(
        event,
        export_id_of,
        _export,
        malformed=MalformedExportMessage,
        log=logger,
        failed="export failed",
        about=lambda export_id: {"exportId": export_id},
    )
