"""The outbox's relay: every issuance record inserted into the table starts its credential workflow."""

from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from loyalty.adapters.aws_clients import client
from loyalty.adapters.metrics import metrics
from loyalty.app.credential_issuance import dispatch_new_issuances


class DispatchSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    state_machine_arn: str = Field(alias="CREDENTIAL_STATE_MACHINE_ARN", min_length=1)


logger = Logger()
settings = DispatchSettings()  # type: ignore[call-arg]


@metrics.log_metrics
@logger.inject_lambda_context(clear_state=True)
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    failed = dispatch_new_issuances(
        client("stepfunctions"), settings.state_machine_arn, event.get("Records", [])
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed]}
