"""Inactivity expiry end to end: a stack started as `make run` starts it, customers served through its gateway,
and the operator's `loyalty-local expire-passes` run against its data.

The stack is this module's own (its own data directory), because a run `--as-of` a later date expires every idle
pass of the stack it runs against, which must not reach into the other suites' shared stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from loyalty.adapters.dynamodb import keys
from loyalty.domain.clock import to_iso
from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.standins.cognito import LocalUserPool, pool_file
from loyalty_local.tools.local_accounts import ensure_business
from tests.support.counter import Counter, enroll, recover, recovery_token
from tests.support.eventually import eventually
from tests.support.local_run import local_run as started

pytestmark = pytest.mark.e2e

BUSINESS = "biz_expiryendtoend00000001"


class LocalRun:
    """A `loyalty-local run` process and what it recorded about itself."""

    def __init__(self, data_dir: Path, state: dict[str, Any]) -> None:
        self.data_dir = data_dir
        self.base_url: str = state["baseUrl"]
        self.ddb = dynamodb_client(state["dynamodbEndpoint"])
        self.table: str = state["tableName"]

    def expire_passes(self, *options: str) -> dict[str, Any]:
        """The operator's command, as typed, against this stack (found through its data directory)."""
        done = subprocess.run(
            [sys.executable, "-m", "loyalty_local.tools.cli", "expire-passes", *options],
            env={**os.environ, "LOYALTY_LOCAL_DATA_DIR": str(self.data_dir)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        summary: dict[str, Any] = json.loads(done.stdout)
        return summary

    def passes(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Every pass of the stack: status, last activity and whether the activity index holds it."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for page in self.ddb.get_paginator("scan").paginate(
            TableName=self.table,
            ConsistentRead=True,
            FilterExpression="entity = :pass",
            ExpressionAttributeValues={":pass": {"S": "PASS"}},
        ):
            for item in page["Items"]:
                _, customer_id, offer_id = item["PK"]["S"].split("#", 2)
                found[(customer_id, offer_id)] = {
                    "status": item["status"]["S"],
                    "lastActivityAt": item["lastActivityAt"]["S"],
                    "indexed": "GSI1SK" in item,
                }
        return found

    def indexed(self) -> set[tuple[str, str]]:
        """What the activity index (GSI1) itself returns, shard by shard."""
        entries: set[tuple[str, str]] = set()
        for shard in range(keys.ACTIVITY_SHARDS):
            for page in self.ddb.get_paginator("query").paginate(
                TableName=self.table,
                IndexName=keys.ACTIVITY_INDEX,
                KeyConditionExpression="GSI1PK = :shard",
                ExpressionAttributeValues={":shard": {"S": keys.activity_partition(shard)}},
            ):
                for item in page["Items"]:
                    _, customer_id, offer_id = item["PK"]["S"].split("#", 2)
                    entries.add((customer_id, offer_id))
        return entries


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRun]:
    data_dir = tmp_path_factory.mktemp("expiry-stack")
    with started(data_dir) as state:
        yield LocalRun(data_dir, state)


@pytest.fixture(scope="module")
def owner(local_run: LocalRun) -> Counter:
    pool = LocalUserPool.load(pool_file(local_run.data_dir))
    return Counter(local_run.base_url, pool.issue("owner", BUSINESS, sub="expiry-owner"))


@pytest.fixture(scope="module")
def manager(local_run: LocalRun) -> Counter:
    pool = LocalUserPool.load(pool_file(local_run.data_dir))
    ensure_business(local_run.ddb, local_run.table, BUSINESS, "branch-1")
    return Counter(local_run.base_url, pool.issue("manager", BUSINESS, "branch-1", sub="expiry-manager"))


def join(local_run: LocalRun, offer_id: str, email: str | None = None) -> str:
    response = enroll(local_run.base_url, offer_id, email=email)
    assert response.status_code in (200, 201), response.text
    return str(response.json()["customerId"])


def moment_between_now_and_next_activity() -> datetime:
    """A millisecond-stamped moment strictly after everything so far and strictly before what comes next."""
    time.sleep(0.01)
    moment = datetime.now(UTC)
    time.sleep(0.01)
    return moment


def as_of_for_cutoff(cutoff: datetime, days: int = 90) -> str:
    return to_iso(cutoff + timedelta(days=days))


def test_expire_passes_expires_exactly_the_inactive_passes(
    local_run: LocalRun, owner: Counter, manager: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=5)
    idle = {(join(local_run, offer_id), offer_id) for _ in range(3)}
    regular = join(local_run, offer_id)
    cutoff = moment_between_now_and_next_activity()
    assert manager.scan(regular, offer_id).status_code == 200
    fresh = join(local_run, offer_id)

    before = local_run.passes()
    inactive = {
        key for key, p in before.items() if p["status"] == "ACTIVE" and p["lastActivityAt"] < to_iso(cutoff)
    }
    assert idle <= inactive
    assert (regular, offer_id) not in inactive and (fresh, offer_id) not in inactive

    preview = local_run.expire_passes("--as-of", as_of_for_cutoff(cutoff), "--dry-run")
    assert preview["wouldExpire"] == len(inactive)
    assert preview["expired"] == 0
    assert local_run.passes() == before

    summary = local_run.expire_passes("--as-of", as_of_for_cutoff(cutoff))

    assert summary["expired"] == len(inactive)
    # The index keys a pass by the week of its last activity: passes active in the cutoff's week after it
    # (`regular`, `fresh`, unless a new week began in between) are read as candidates too, and kept.
    assert summary["examined"] == len(inactive) + summary["keptRecentActivity"]
    assert summary["alreadyInactive"] == 0
    assert summary["cutoff"] == to_iso(cutoff)
    assert summary["finished"] is True
    after = local_run.passes()
    for key, state in after.items():
        expected = "EXPIRED" if key in inactive else before[key]["status"]
        assert state["status"] == expected, key
    assert not inactive & local_run.indexed(), "expired passes left the activity index"
    assert {(regular, offer_id), (fresh, offer_id)} <= local_run.indexed()

    again = local_run.expire_passes("--as-of", as_of_for_cutoff(cutoff))
    assert again["expired"] == 0
    assert again["examined"] == again["keptRecentActivity"], "only the cutoff week's active passes are read"
    assert local_run.passes() == after


def test_days_option_sets_the_threshold(local_run: LocalRun, owner: Counter) -> None:
    offer_id = owner.create_offer()
    customer = join(local_run, offer_id)
    cutoff = moment_between_now_and_next_activity()

    # The same cutoff reached with a 30-day threshold a month after it.
    summary = local_run.expire_passes("--days", "30", "--as-of", as_of_for_cutoff(cutoff, days=30))

    assert summary["days"] == 30
    assert summary["cutoff"] == to_iso(cutoff)
    assert local_run.passes()[(customer, offer_id)]["status"] == "EXPIRED"


def test_an_expired_pass_refuses_scans_and_prizes_with_410(
    local_run: LocalRun, owner: Counter, manager: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=2)
    customer = join(local_run, offer_id)
    for _ in range(2):
        assert manager.scan(customer, offer_id).status_code == 200
    local_run.expire_passes("--as-of", as_of_for_cutoff(moment_between_now_and_next_activity()))

    for refused in (manager.scan(customer, offer_id), manager.confirm(customer, offer_id)):
        assert refused.status_code == 410, refused.text
        assert refused.json()["error"]["code"] == "PASS_EXPIRED"
    status = manager.status(customer, offer_id)
    assert status.status_code == 200
    assert status.json()["status"] == "EXPIRED"
    assert status.json()["progress"]["currentStamps"] == 2


def test_the_mailed_link_reactivates_the_pass_with_its_rewards(
    local_run: LocalRun, owner: Counter, manager: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=2)
    first = enroll(local_run.base_url, offer_id, email="returning@example.com")
    assert first.status_code == 201
    customer, serial = first.json()["customerId"], first.json()["passSerial"]
    for _ in range(2):
        assert manager.scan(customer, offer_id).status_code == 200
    assert manager.confirm(customer, offer_id).status_code == 200
    assert manager.scan(customer, offer_id).status_code == 200
    local_run.expire_passes("--as-of", as_of_for_cutoff(moment_between_now_and_next_activity()))
    assert (customer, offer_id) not in local_run.indexed()

    again = enroll(local_run.base_url, offer_id, email="Returning@Example.com")
    assert again.status_code == 202, again.text
    assert local_run.passes()[(customer, offer_id)]["status"] == "EXPIRED", "asking alone changes nothing"
    back = recover(local_run.base_url, recovery_token(local_run.base_url, "returning@example.com"))

    assert back.status_code == 200, back.text
    body = back.json()
    assert (body["customerId"], body["passSerial"], body["status"]) == (customer, serial, "ACTIVE")
    assert body["progress"]["currentStamps"] == 0
    assert body["progress"]["rewardsClaimed"] == 1
    assert body["tier"]["currentTier"]["id"] == "bronze"
    assert (customer, offer_id) in local_run.indexed(), "a reactivated pass is back in the activity index"
    path = f"/api/branch-manager/passes/{customer}/{offer_id}/history"
    # Each change's event is written by the table stream a moment after the change answered.
    history = eventually(lambda: manager.call("GET", path).json()["items"], lambda items: len(items) >= 7)
    assert [event["kind"] for event in history] == [
        "REACTIVATE",
        "EXPIRE",
        "STAMP",
        "PRIZE",
        "STAMP",
        "STAMP",
        "ENROLL",
    ], "the expiry left exactly one event, as every other change did"
    assert manager.scan(customer, offer_id).status_code == 200
    kept = local_run.expire_passes("--as-of", as_of_for_cutoff(datetime.now(UTC) - timedelta(minutes=5)))
    assert local_run.passes()[(customer, offer_id)]["status"] == "ACTIVE"
    assert kept["finished"] is True
