"""The credential state machine's definition (the ASL file deployed and run locally): what it retries and that
no recording step can end an issuance without a final status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

ASL = Path(__file__).resolve().parents[2] / "infra" / "statemachines" / "credential-issuance.asl.json"
LAMBDA_TRANSIENT = ("Lambda.ClientExecutionTimeoutException", "Lambda.Unknown", "Lambda.ServiceException")


def _states() -> dict[str, Any]:
    states: dict[str, Any] = json.loads(ASL.read_text())["States"]
    return states


@pytest.mark.parametrize("name", ["Submit", "CheckStatus"])
def test_air_kit_steps_retry_lambda_timeouts_and_unknown_failures(name: str) -> None:
    retried = {error for rule in _states()[name]["Retry"] for error in rule["ErrorEquals"]}
    assert set(LAMBDA_TRANSIENT) <= retried


def test_every_recording_step_catches_into_a_final_status() -> None:
    states = _states()
    recording = [n for n, s in states.items() if "CredentialRecordFunctionArn" in str(s.get("Resource", ""))]
    assert sorted(recording) == ["RecordFailed", "RecordOnChain", "RecordTimedOut"]
    for name in recording:
        (catch,) = states[name]["Catch"]
        assert catch["ErrorEquals"] == ["States.ALL"]
        target = states[catch["Next"]]
        # Caught into the FAILED recording, or (when FAILED itself cannot be written) into a Fail state.
        assert catch["Next"] == "RecordFailed" or target["Type"] == "Fail", name
        assert states[name]["Retry"][0]["MaxAttempts"] >= 6
