"""The credential workflow on Step Functions: one execution per issuance, named after it."""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from loyalty.app.ports.credentials import WorkflowNotStarted


class StepFunctionsWorkflows:
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._client = client
        self._arn = state_machine_arn

    def start(self, issuance_id: str) -> bool:
        try:
            self._client.start_execution(
                stateMachineArn=self._arn, name=issuance_id, input=json.dumps({"issuanceId": issuance_id})
            )
        except ClientError as error:
            code = str(error.response.get("Error", {}).get("Code"))
            if code == "ExecutionAlreadyExists":
                return False
            raise WorkflowNotStarted(issuance_id, code) from error
        return True
