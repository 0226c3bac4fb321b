"""The outbox's relay: every issuance record inserted into the table starts its credential workflow."""

import os
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.aws_clients import client
from loyalty.credential_issuance import dispatch_new_issuances

logger = Logger()
STATE_MACHINE_ARN = os.environ["CREDENTIAL_STATE_MACHINE_ARN"]


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed = dispatch_new_issuances(client("stepfunctions"), STATE_MACHINE_ARN, event.get("Records", []))
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
