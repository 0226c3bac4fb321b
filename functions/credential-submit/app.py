"""Credential workflow task: hand the issuance to AIR Kit (issue-on-behalf) when it is its turn."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.app.credentials import workflow as credential_workflow
from loyalty.app.metrics import metrics
from loyalty.bootstrap import airkit_client, issuance_store
from loyalty.domain.clock import utc_now

logger = Logger()


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.append_keys(issuanceId=event.get("issuanceId"))
    return credential_workflow.submit(issuance_store(), airkit_client(), utc_now, event)
