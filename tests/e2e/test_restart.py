"""A restart of `make run` on kept data replays nothing: the stream consumers resume after what they processed,
so no wallet update reaches the stand-ins again and no credential workflow starts again."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import boto3
import jwt
import pytest
import requests

from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.standins.cognito import LocalUserPool, pool_file
from loyalty_local.tools.local_accounts import DEMO_OWNER, ensure_business
from tests.support.accounts import sign_in
from tests.support.counter import Counter, enroll
from tests.support.local_run import local_run

pytestmark = pytest.mark.e2e

BUSINESS = "biz_restartreplays000001"


def google_requests(state: dict[str, Any]) -> list[dict[str, Any]]:
    answer = requests.get(f"{state['services']['googleWallet']}/_standin/requests", timeout=10)
    answer.raise_for_status()
    return list(answer.json()["requests"])


def airkit_received(state: dict[str, Any]) -> list[dict[str, Any]]:
    control = state["services"]["airKit"].removesuffix("/v1")
    answer = requests.get(f"{control}/_control/received", timeout=10)
    answer.raise_for_status()
    return list(answer.json()["received"])


def executions(state: dict[str, Any]) -> list[dict[str, Any]]:
    sfn = boto3.client(
        "stepfunctions",
        endpoint_url=state["services"]["moto"],
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    return [
        execution
        for machine in sfn.list_state_machines()["stateMachines"]
        for execution in sfn.list_executions(stateMachineArn=machine["stateMachineArn"])["executions"]
    ]


def settled(read: Any, at_least: int, within: float = 60.0) -> int:
    """How many of something there are once the number reached `at_least` and stopped moving for 2 s."""
    deadline = time.monotonic() + within
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(read())
        if now != seen:
            seen, since = now, time.monotonic()
        elif now >= at_least and time.monotonic() - since >= 2:
            return now
        time.sleep(0.2)
    raise AssertionError(f"still moving or below {at_least} after {within} s: {seen}")


def subject(id_token: str) -> str:
    return str(jwt.decode(id_token, options={"verify_signature": False})["sub"])


def test_a_restart_with_no_new_writes_sends_nothing_and_starts_no_workflow(tmp_path: Path) -> None:
    data_dir = tmp_path / "stack"
    data_dir.mkdir()
    with local_run(data_dir) as first:
        pool = LocalUserPool.load(pool_file(data_dir))
        ensure_business(dynamodb_client(first["dynamodbEndpoint"]), first["tableName"], BUSINESS, "branch-1")
        demo_owner = sign_in(
            first["baseUrl"], first["userPool"]["clientId"], DEMO_OWNER.email, DEMO_OWNER.password
        )
        owner = Counter(first["baseUrl"], pool.issue("owner", BUSINESS, sub="restart-owner"))
        manager = Counter(
            first["baseUrl"], pool.issue("manager", BUSINESS, "branch-1", sub="restart-manager")
        )
        offer_id = owner.create_offer(stamps_required=2)
        joined = enroll(first["baseUrl"], offer_id)
        assert joined.status_code in (200, 201), joined.text
        customer_id = joined.json()["customerId"]
        for _ in range(2):
            assert manager.scan(customer_id, offer_id).status_code == 200
        assert manager.confirm(customer_id, offer_id).status_code == 200
        # The first run did reach the stand-ins and start workflows (else the second run's zeros prove nothing).
        assert settled(lambda: google_requests(first), at_least=1) > 0
        assert settled(lambda: executions(first), at_least=1) > 0

    with local_run(data_dir) as second:
        # The pool keeps its ids across restarts, so tokens minted before one are still accepted after it.
        kept = LocalUserPool.load(pool_file(data_dir))
        assert (kept.issuer, kept.audience) == (pool.issuer, pool.audience)
        # `local_run` returns once the stack drained its stream and queues: a replay would be over by now.
        assert google_requests(second) == []
        assert airkit_received(second) == []
        assert executions(second) == []
        # The accounts are kept: the demo owner signs in with the same password and is the same person.
        again = sign_in(
            second["baseUrl"], second["userPool"]["clientId"], DEMO_OWNER.email, DEMO_OWNER.password
        )
        assert subject(again.id_token) == subject(demo_owner.id_token)
        # The kept data is still served.
        answer = Counter(second["baseUrl"], pool.issue("manager", BUSINESS, "branch-1")).status(
            customer_id, offer_id
        )
        assert answer.status_code == 200
        assert google_requests(second) == []
