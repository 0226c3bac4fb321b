"""The members export queue: each message names an export, whose CSV file is written to the export bucket."""

from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.metrics import metrics
from loyalty.app.offers.export import run_export
from loyalty.bootstrap import export_files, export_jobs, member_store, offer_store
from loyalty.entrypoints.queues.export_messages import export_ids

logger = Logger()
# The queue's maxReceiveCount (template.yaml, MemberExportQueue): the last delivery marks a failing export FAILED.
LAST_RECEIVE = 3


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    failures: list[dict[str, str]] = []
    for message_id, export_id, received in export_ids(event):
        try:
            done = run_export(
                member_store(),
                offer_store(),
                export_jobs(),
                export_files(),
                export_id,
                last_attempt=received >= LAST_RECEIVE,
            )
        except Exception:
            logger.exception("export failed", extra={"exportId": export_id, "receiveCount": received})
            failures.append({"itemIdentifier": message_id})
            continue
        logger.info(
            "export finished",
            extra={
                "exportId": export_id,
                "status": done.status.value if done else None,
                "rows": done.rows if done else 0,
            },
        )
    return {"batchItemFailures": failures}
