"""Passes enrolled before the member directory existed have no entries, so a search cannot find them: the backfill
command writes them, resumably, against DynamoDB Local."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from typing import Any

import pytest

from bench.bench_members_search import BUSINESS, NOW, _members, _offer
from loyalty.adapters.dynamodb.directory_backfill import _catch_up, backfill_directory
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.member_directory import MemberDirectoryStore
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.offers.directory import find_members
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass
from loyalty_local.tools.cli import main as loyalty_local

pytestmark = pytest.mark.integration


def older_passes(ddb: Any, table_name: str, count: int) -> tuple[str, list[Pass]]:
    """An offer and passes written as before the directory: the pass items alone."""
    offer_id = new_id("off")
    ddb.put_item(TableName=table_name, Item=to_item(offer_to_item(_offer(offer_id))))
    pass_batch = list(_members(offer_id, count, random.Random(count)))
    for pass_ in pass_batch:
        ddb.put_item(TableName=table_name, Item=pass_to_item(pass_))
    return offer_id, pass_batch


def search(ddb: Any, table_name: str, offer_id: str, q: str) -> list[str]:
    answer = find_members(
        MemberStore(ddb, table_name),
        MemberDirectoryStore(ddb, table_name),
        BUSINESS,
        offer_id,
        show_email=True,
        at=to_iso(NOW),
        inactivity_days=90,
        q=q,
        limit=100,
    )
    return [member.pass_.customer_id for member in answer.members]


def test_the_command_makes_older_passes_findable_resumably(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    offer_id, pass_batch = older_passes(ddb, table_name, 7)
    someone = pass_batch[3]
    first_name = someone.customer_name.split()[0][:3] if someone.customer_name else ""
    assert search(ddb, table_name, offer_id, someone.short_code) == []
    assert search(ddb, table_name, offer_id, first_name) == []

    args = ["backfill-directory", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local([*args, "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "of 3 pass(es)" in out
    found = re.search(r"--start-after '(.+)'", out)
    assert found is not None
    assert loyalty_local([*args, "--start-after", found.group(1)]) == 0
    assert "0 to go" in capsys.readouterr().out

    for pass_ in pass_batch:
        assert search(ddb, table_name, offer_id, pass_.short_code) == [pass_.customer_id]
    assert someone.customer_id in search(ddb, table_name, offer_id, first_name)
    assert someone.email is not None
    assert search(ddb, table_name, offer_id, someone.email[:7]) == [someone.customer_id]
    json.loads(found.group(1))  # the printed key is JSON, as --start-after takes it


def test_a_second_run_changes_nothing_and_a_renamed_pass_keeps_only_its_name(
    ddb: Any, table_name: str
) -> None:
    offer_id, pass_batch = older_passes(ddb, table_name, 3)
    assert backfill_directory(ddb, table_name).passes >= 3
    entries = ddb.query(
        TableName=table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"DIRECTORY#{offer_id}"}},
    )["Items"]
    backfill_directory(ddb, table_name)
    again = ddb.query(
        TableName=table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": f"DIRECTORY#{offer_id}"}},
    )["Items"]
    assert sorted(map(str, again)) == sorted(map(str, entries))

    # A pass renamed after its entries were written (the stream's consumer is not running here): the catch-up
    # step moves entries from what the page read to what the pass is now.
    renamed = replace(pass_batch[0], customer_name="Zainab Qasim", version=pass_batch[0].version + 1)
    ddb.put_item(TableName=table_name, Item=pass_to_item(renamed))
    _catch_up(ddb, table_name, MemberDirectoryStore(ddb, table_name), [pass_batch[0]])
    assert search(ddb, table_name, offer_id, "zain") == [pass_batch[0].customer_id]
    assert pass_batch[0].customer_id not in search(
        ddb, table_name, offer_id, str(pass_batch[0].customer_name)[:6]
    )
