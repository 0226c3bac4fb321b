"""The outbox's relay: every issuance record inserted into the table starts its credential workflow."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.app.credential_issuance import dispatch_new_issuances
from loyalty.app.metrics import metrics
from loyalty.bootstrap import credential_workflows

logger = Logger()


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Built on the first batch (a function without its state machine fails before it reads a record), not at
    # import: a Step Functions client costs a tenth of a second of cold start.
    failed = dispatch_new_issuances(credential_workflows(), stream_records(event.get("Records", [])))
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
