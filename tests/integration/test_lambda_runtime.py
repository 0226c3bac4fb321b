"""The local runtime is as strict as Lambda: a function sees exactly its own environment and module state, an
error keeps its type, a timeout ends the execution environment."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from loyalty_local.cloud.lambda_runtime import FunctionRuntime, InvocationError, IsolatedLambda
from loyalty_local.cloud.template import FunctionDef

pytestmark = pytest.mark.integration

HANDLERS = """
import os
import time

invocations = 0


class EarlierIssuancePending(Exception):
    pass


def read_variable(event, context):
    return os.environ[event["name"]]


def count(event, context):
    global invocations
    invocations += 1
    return invocations


def fail(event, context):
    raise EarlierIssuancePending("an older issuance is still pending")


def sleep(event, context):
    time.sleep(event["seconds"])
    return context.get_remaining_time_in_millis()


def echo(event, context):
    return {"event": event, "function": context.function_name}
"""


@pytest.fixture(scope="module")
def code_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("function")
    (directory / "app.py").write_text(textwrap.dedent(HANDLERS), encoding="utf-8")
    return directory


def _function(
    code_dir: Path, name: str, handler: str, environment: dict[str, str] | None = None
) -> FunctionDef:
    return FunctionDef(name, code_dir, f"app.{handler}", 2, dict(environment or {}))


@pytest.fixture(scope="module")
def runtime(code_dir: Path) -> Iterator[FunctionRuntime]:
    definitions = {
        d.logical_id: d
        for d in (
            _function(code_dir, "Declares", "read_variable", {"WALLET_SETTING": "declared"}),
            _function(code_dir, "Forgets", "read_variable"),
            _function(code_dir, "CounterA", "count"),
            _function(code_dir, "CounterB", "count"),
            _function(code_dir, "Fails", "fail"),
            _function(code_dir, "Sleeps", "sleep"),
            _function(code_dir, "Echo", "echo"),
        )
    }
    # The template's variables as they are: what the stack adds (resolution, endpoints) is not under test here.
    local = IsolatedLambda(lambda d: dict(d.environment), definitions, pool_size=2)
    yield local
    local.stop()


def test_a_function_reads_the_variable_it_declares(runtime: FunctionRuntime) -> None:
    assert runtime.invoke("Declares", {"name": "WALLET_SETTING"}) == "declared"


def test_a_function_that_does_not_declare_a_variable_fails_as_on_lambda(
    runtime: FunctionRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stack's own process has the variable (as every function's variables were once merged into it); the
    function that does not declare it must not see it."""
    monkeypatch.setenv("WALLET_SETTING", "leaked from the stack")
    with pytest.raises(InvocationError) as raised:
        runtime.invoke("Forgets", {"name": "WALLET_SETTING"})
    assert raised.value.error_type == "KeyError"


def test_the_lambda_runtime_variables_are_set(runtime: FunctionRuntime) -> None:
    assert runtime.invoke("Forgets", {"name": "AWS_LAMBDA_FUNCTION_NAME"}) == "Forgets"
    assert runtime.invoke("Forgets", {"name": "AWS_REGION"}) == "us-east-1"


def test_each_function_has_its_own_module_state_kept_warm(runtime: FunctionRuntime) -> None:
    first_a = runtime.invoke("CounterA", {})
    assert runtime.invoke("CounterA", {}) == first_a + 1  # the same warm environment
    assert runtime.invoke("CounterB", {}) == 1  # same code, another function: its own globals


def test_an_error_keeps_its_type_for_step_functions_and_the_environment_stays_warm(
    runtime: FunctionRuntime,
) -> None:
    with pytest.raises(InvocationError) as raised:
        runtime.invoke("Fails", {})
    assert raised.value.error_type == "EarlierIssuancePending"
    assert "still pending" in raised.value.message


def test_a_function_past_its_timeout_is_stopped_and_the_next_call_starts_anew(
    runtime: FunctionRuntime,
) -> None:
    with pytest.raises(InvocationError) as raised:
        runtime.invoke("Sleeps", {"seconds": 5})  # the function's timeout is 2 s
    assert raised.value.error_type == "Sandbox.Timedout"
    assert 0 < runtime.invoke("Sleeps", {"seconds": 0}) <= 2000


def test_events_and_answers_cross_as_json(runtime: FunctionRuntime) -> None:
    event = {"Records": [{"dynamodb": {"NewImage": {"name": {"S": "Zoë"}}}}], "n": 1.5}
    assert runtime.invoke("Echo", event) == {"event": event, "function": "Echo"}


def test_a_handler_that_cannot_be_loaded_is_an_init_error(code_dir: Path) -> None:
    broken = _function(code_dir, "Broken", "no_such_handler")
    local = IsolatedLambda(lambda d: dict(d.environment), {"Broken": broken})
    try:
        with pytest.raises(InvocationError) as raised:
            local.invoke("Broken", {})
        assert raised.value.error_type == "AttributeError"
    finally:
        local.stop()
