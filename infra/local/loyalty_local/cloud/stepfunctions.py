"""Step Functions on the local stack: the state machines of template.yaml, created on moto from their own ASL files
and DefinitionSubstitutions, run by moto's interpreter, with their Lambda tasks calling our handlers.

moto's interpreter invokes Lambda through `lambda_eval_utils._invoke_lambda_function` (its Lambda would need
Docker); the stack routes that one seam to the same runtime the gateway uses (each function in its own processes),
answering as Lambda does (an unhandled exception becomes `FunctionError` with `errorType` = the exception's class
name)."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from moto.core.exceptions import AWSError
from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from loyalty_local.cloud.lambda_runtime import FunctionRuntime, InvocationError
from loyalty_local.cloud.template import REPO_ROOT, load_template, parameter_defaults

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

log = logging.getLogger("loyalty_local.cloud.stepfunctions")

ACCOUNT = "000000000000"
REGION = "us-east-1"
LOCAL_ROLE = f"arn:aws:iam::{ACCOUNT}:role/loyalty-local-states"


def function_arn(logical_id: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{logical_id}"


def lambda_answer(runtime: FunctionRuntime, function_name: str, payload: Any) -> dict[str, Any]:
    """Invoke our handler as Lambda's Invoke API would answer it."""
    logical_id = str(function_name).rsplit(":", 1)[-1]
    event = json.loads(payload) if isinstance(payload, bytes | str) else payload
    try:
        result = runtime.invoke(logical_id, event)
    except InvocationError as error:
        log.info("%s raised %s: %s", logical_id, error.error_type, error.message)
        return {
            "StatusCode": 200,
            "FunctionError": "Unhandled",
            "Payload": {
                "errorType": error.error_type,
                "errorMessage": error.message,
                "stackTrace": error.stack_trace,
            },
        }
    return {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": result}


@dataclass
class StartFaults:
    """StartExecution failures a test can ask for (what an outage of Step Functions looks like to a caller)."""

    remaining: int = 0
    failed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> bool:
        with self._lock:
            if self.remaining <= 0:
                return False
            self.remaining -= 1
            self.failed += 1
            return True


@dataclass
class LocalStepFunctions:
    stack: LocalStack
    runtime: FunctionRuntime
    arns: dict[str, str] = field(default_factory=dict)
    start_faults: StartFaults = field(default_factory=StartFaults)
    _original_invoke: Any = None
    _original_start: Any = None

    def install(self) -> LocalStepFunctions:
        runtime = self.runtime
        faults = self.start_faults
        self._original_invoke = lambda_eval_utils._invoke_lambda_function
        self._original_start = StepFunctionsParserBackend.start_execution
        original_start = self._original_start

        def invoke(parameters: dict[str, Any], region: str, state_credentials: Any) -> dict[str, Any]:
            return lambda_answer(runtime, parameters["FunctionName"], parameters.get("Payload"))

        def start_execution(backend: Any, *args: Any, **kwargs: Any) -> Any:
            if faults.take():
                raise AWSError("Step Functions is unavailable (local fault)", "ServiceUnavailable", 503)
            return original_start(backend, *args, **kwargs)

        lambda_eval_utils._invoke_lambda_function = invoke  # type: ignore[assignment]
        StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign,assignment]
        for logical_id in runtime.definitions:
            self.stack.resources[f"{logical_id}.Arn"] = function_arn(logical_id)
        self.deploy()
        return self

    def deploy(self, substitutions: dict[str, str] | None = None) -> None:
        """Create (or update) every state machine of the template; `substitutions` override the template's
        DefinitionSubstitutions (tests shorten waits and deadlines this way, with the same ASL)."""
        client = self.stack.client("stepfunctions")
        params = {k: v for k, v in parameter_defaults().items() if v is not None}
        for logical_id, resource in load_template()["Resources"].items():
            if resource.get("Type") != "AWS::Serverless::StateMachine":
                continue
            props = resource["Properties"]
            values: dict[str, str] = {}
            for name, raw in props.get("DefinitionSubstitutions", {}).items():
                resolved = self.stack.resolve(raw, params)
                if resolved is None:
                    raise RuntimeError(f"{logical_id}: no local value for substitution {name}")
                values[name] = resolved
            values.update(substitutions or {})
            text = (REPO_ROOT / Path(props["DefinitionUri"])).read_text(encoding="utf-8")
            for name, value in values.items():
                text = text.replace("${" + name + "}", value)
            json.loads(text)
            name = f"{logical_id}-local"
            arn = self.arns.get(logical_id)
            if arn is None:
                arn = client.create_state_machine(
                    name=name, definition=text, roleArn=LOCAL_ROLE, type=props.get("Type", "STANDARD")
                )["stateMachineArn"]
                self.arns[logical_id] = arn
            else:
                client.update_state_machine(stateMachineArn=arn, definition=text)
            self.stack.resources[logical_id] = arn
            self.stack.resources[f"{logical_id}.Arn"] = arn
            self.stack.resources[f"{logical_id}.Name"] = name

    def stop(self) -> None:
        if self._original_invoke is not None:
            lambda_eval_utils._invoke_lambda_function = self._original_invoke
        if self._original_start is not None:
            StepFunctionsParserBackend.start_execution = self._original_start  # type: ignore[method-assign]


def start(stack: LocalStack) -> LocalStepFunctions:
    if stack.runtime is None:
        raise RuntimeError("Step Functions tasks need the local Lambda runtime: start it first")
    return LocalStepFunctions(stack, stack.runtime).install()
