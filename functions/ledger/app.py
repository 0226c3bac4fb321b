"""The table stream's ledger consumer: the credential outbox's relay and the ledger
(loyalty.entrypoints.streams.ledger)."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.metrics import metrics
from loyalty.entrypoints.streams.ledger import ledger_batch

logger = Logger()


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return ledger_batch(event)
