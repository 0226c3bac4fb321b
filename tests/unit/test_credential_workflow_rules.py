"""The workflow's arithmetic and bookkeeping: backoff, polling plan, reasons, and the outbox relay."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.adapters.stepfunctions import StepFunctionsWorkflows
from loyalty.app.credentials.issuance import dispatch_new_issuances
from loyalty.app.credentials.workflow import PollingPlan, failure_reason, next_wait


def test_waits_double_from_one_second_to_the_cap() -> None:
    waits = [1]
    for _ in range(8):
        waits.append(next_wait(waits[-1], 30, seconds_left=10_000))
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30, 30]


@given(
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=300),
    st.floats(min_value=-100, max_value=10_000, allow_nan=False),
)
def test_a_wait_never_exceeds_the_cap_nor_the_time_left_and_is_whole_seconds(
    current: int, cap: int, left: float
) -> None:
    wait = next_wait(current, cap, left)
    assert isinstance(wait, int)
    assert 1 <= wait <= max(1, cap)
    assert wait <= max(1, int(left) + 1)
    if left >= cap and current * 2 <= cap:
        assert wait == current * 2


def test_the_polling_plan_comes_from_substitution_strings() -> None:
    plan = PollingPlan.from_event(
        {"initialWaitSeconds": "1", "maxWaitSeconds": "30", "deadlineSeconds": "600"}
    )
    assert plan == PollingPlan(1, 30, 600)


@pytest.mark.parametrize(
    "raw",
    [
        {"initialWaitSeconds": "0", "maxWaitSeconds": "30", "deadlineSeconds": "600"},
        {"initialWaitSeconds": "40", "maxWaitSeconds": "30", "deadlineSeconds": "600"},
        {"initialWaitSeconds": "1", "maxWaitSeconds": "30", "deadlineSeconds": "0"},
    ],
)
def test_an_inconsistent_plan_is_refused(raw: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="inconsistent"):
        PollingPlan.from_event(raw)


def test_the_reason_of_a_caught_lambda_error_is_its_message() -> None:
    cause = json.dumps(
        {"errorType": "AirKitRejected", "errorMessage": "AIR Kit issue-on-behalf answered 401: bad kid"}
    )
    assert failure_reason({"Error": "AirKitRejected", "Cause": cause}) == (
        "AIR Kit issue-on-behalf answered 401: bad kid"
    )


def test_a_reason_without_lambda_json_is_kept_as_it_is() -> None:
    assert failure_reason({"Error": "States.Timeout", "Cause": "task timed out"}) == "task timed out"
    assert failure_reason({"Error": "States.Timeout"}) == "States.Timeout"
    assert failure_reason(None) == "credential issuance failed"


class RecordingSfn:
    def __init__(self, failing: dict[str, str] | None = None) -> None:
        self.failing = failing or {}
        self.started: list[dict[str, Any]] = []

    def start_execution(self, **kwargs: Any) -> dict[str, str]:
        code = self.failing.get(kwargs["name"])
        if code:
            raise ClientError({"Error": {"Code": code, "Message": "x"}}, "StartExecution")
        self.started.append(kwargs)
        return {"executionArn": "arn"}


def record(event: str, issuance_id: str, sequence: str, entity: str = "ISSUANCE") -> dict[str, Any]:
    return {
        "eventName": event,
        "dynamodb": {
            "SequenceNumber": sequence,
            "NewImage": {"entity": {"S": entity}, "issuanceId": {"S": issuance_id}},
        },
    }


def test_every_inserted_issuance_starts_one_execution_named_after_it() -> None:
    sfn = RecordingSfn()
    failed = dispatch_new_issuances(
        StepFunctionsWorkflows(sfn, "arn:sm"),
        stream_records(
            [
                record("INSERT", "iss_a", "1"),
                record("MODIFY", "iss_a", "2"),
                record("INSERT", "iss_b", "3", entity="PASS"),
                record("INSERT", "iss_c", "4"),
            ]
        ),
    )
    assert failed == []
    assert [(s["name"], json.loads(s["input"])) for s in sfn.started] == [
        ("iss_a", {"issuanceId": "iss_a"}),
        ("iss_c", {"issuanceId": "iss_c"}),
    ]
    assert {s["stateMachineArn"] for s in sfn.started} == {"arn:sm"}


def test_a_start_seen_twice_is_harmless_and_a_failed_one_is_handed_back() -> None:
    sfn = RecordingSfn({"iss_a": "ExecutionAlreadyExists", "iss_b": "ServiceUnavailable"})
    failed = dispatch_new_issuances(
        StepFunctionsWorkflows(sfn, "arn:sm"),
        stream_records(
            [record("INSERT", "iss_a", "1"), record("INSERT", "iss_b", "2"), record("INSERT", "iss_c", "3")]
        ),
    )
    assert failed == ["2"]
    assert [s["name"] for s in sfn.started] == ["iss_c"]
