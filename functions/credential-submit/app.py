"""Credential workflow task: hand the issuance to AIR Kit (issue-on-behalf) when it is its turn."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import credential_workflow
from loyalty.airkit.connection import airkit_client
from loyalty.clock import utc_now
from loyalty.storage.issuances import default_issuance_store

logger = Logger()


@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    logger.append_keys(issuanceId=event.get("issuanceId"))
    return credential_workflow.submit(default_issuance_store(), airkit_client(), utc_now, event)
