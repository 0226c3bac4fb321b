"""The data steps of issue 21's deploy, run as an operator runs them (docs/DEPLOY-STEPS.md): a kept table whose
GSI4 has the earlier projection gets the template's again, and earlier enrollments get their enroll-key items."""

from __future__ import annotations

import time
from typing import Any

import pytest

from loyalty_local.cloud.index_remake import changed_indexes
from loyalty_local.cloud.template import table_definitions
from loyalty_local.tools.cli import main as loyalty_local
from tests.integration.test_erasure_reads import _customer_with

pytestmark = pytest.mark.integration


def _gsi(ddb: Any, table_name: str, name: str) -> dict[str, Any] | None:
    found = ddb.describe_table(TableName=table_name)["Table"].get("GlobalSecondaryIndexes", [])
    return next((index for index in found if index["IndexName"] == name), None)


def _settle(ddb: Any, table_name: str, name: str, present: bool) -> None:
    # DynamoDB Local builds an index in its own time: on a loaded machine that can take a while (not a timing test).
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        index = _gsi(ddb, table_name, name)
        if (index is not None and index.get("IndexStatus") == "ACTIVE") if present else index is None:
            return
        time.sleep(0.2)
    raise AssertionError(f"{name} did not settle")


def test_an_index_with_the_earlier_projection_is_remade_as_the_template_defines_it(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    template = next(
        index
        for index in table_definitions()["LoyaltyTable"]["GlobalSecondaryIndexes"]
        if index["IndexName"] == "GSI4"
    )
    # GSI4 as the release before decision 0021d made it: `status` only.
    ddb.update_table(TableName=table_name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "GSI4"}}])
    _settle(ddb, table_name, "GSI4", present=False)
    earlier = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["status"]}
    ddb.update_table(
        TableName=table_name,
        AttributeDefinitions=[
            {"AttributeName": "GSI4PK", "AttributeType": "S"},
            {"AttributeName": "GSI4SK", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexUpdates=[
            {"Create": {"IndexName": "GSI4", "KeySchema": template["KeySchema"], "Projection": earlier}}
        ],
    )
    _settle(ddb, table_name, "GSI4", present=True)
    assert changed_indexes(ddb, table_name) == ["GSI4"]

    args = ["remake-indexes", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local(args) == 0
    assert "remade GSI4" in capsys.readouterr().out

    remade = _gsi(ddb, table_name, "GSI4")
    assert remade is not None
    assert sorted(remade["Projection"].get("NonKeyAttributes", [])) == sorted(
        template["Projection"].get("NonKeyAttributes", [])
    )
    assert changed_indexes(ddb, table_name) == []
    assert loyalty_local(args) == 0
    assert "every index is as the template defines it" in capsys.readouterr().out


def test_the_enroll_key_backfill_runs_from_the_command_line(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _customer_with(ddb, table_name, 3)
    kept = ddb.scan(
        TableName=table_name,
        FilterExpression="begins_with(SK, :kept)",
        ExpressionAttributeValues={":kept": {"S": "ENROLLKEY#"}},
    )["Items"]
    for item in kept:  # as the ledger left a table before it kept them
        ddb.delete_item(TableName=table_name, Key={"PK": item["PK"], "SK": item["SK"]})

    args = ["backfill-enroll-keys", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local(args) == 0
    out = capsys.readouterr().out
    assert f"wrote {len(kept)} enroll-key item(s)" in out and "0 to go" in out
    again = ddb.scan(
        TableName=table_name,
        FilterExpression="begins_with(SK, :kept)",
        ExpressionAttributeValues={":kept": {"S": "ENROLLKEY#"}},
    )["Items"]
    assert len(again) == len(kept) >= 1
