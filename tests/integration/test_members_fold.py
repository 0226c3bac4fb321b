"""Decision 0021l's migration against DynamoDB Local: an offer's members counts spread over four items by the
earlier ledger are folded into its one members item, once (`loyalty-local fold-members-counts`); after it, the
days a member left under the spread fall to zero and are removed like any other."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.ledger import DynamoLedger
from loyalty.adapters.dynamodb.members_fold import fold_members_counts
from loyalty.adapters.dynamodb.stats import MEMBERS_SORT, StatsReader, stats_partition
from loyalty.app.ports.ledger import LedgerEntry
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.stats import DateRange, tally
from loyalty_local.tools.cli import main as loyalty_local
from tests.support.passes import fresh_pass
from tests.support.stats_items import members_items

pytestmark = pytest.mark.integration

OFFER = "off_foldmembers00000000001"


def spread_items(ddb: Any, table: str, offer_id: str = OFFER) -> None:
    """An offer's members counts as the earlier ledger left them: 3 members in 3 shard items, by customer."""
    shards: dict[str, dict[str, Any]] = {
        "MEMBERS#0": {"active": 1, "rewards=0": 1, "lastDay=2026-11-20": 1, "w0a1b2c3d": "0001@x"},
        "MEMBERS#1": {"active": 1, "rewards=1": 1, "lastDay=2026-11-21": 1, "lastDay=2026-11-02": 0},
        "MEMBERS#3": {
            "active": 1,
            "rewards=0": 1,
            "rewardReady": 1,
            "lastDay=2026-11-21": 1,
            "w9f8e7d6c": "0002@x",
        },
    }
    for sort, counts in shards.items():
        ddb.put_item(
            TableName=table,
            Item=to_item({"PK": stats_partition(offer_id), "SK": sort, "entity": "STATS", **counts}),
        )


def members(ddb: Any, table: str, offer_id: str = OFFER) -> dict[str, int]:
    _, counted = StatsReader(ddb, table).read(offer_id, DateRange(date(2026, 11, 23), date(2026, 11, 23)))
    return dict(+counted)


def test_the_spread_counts_are_folded_into_one_item_and_read_the_same(ddb: Any, table_name: str) -> None:
    spread_items(ddb, table_name)
    before = members(ddb, table_name)
    run = fold_members_counts(ddb, table_name)
    assert (run.folded, run.left, run.start_after) == (2, 0, None)
    assert list(members_items(ddb, table_name, OFFER)) == [MEMBERS_SORT]
    assert (
        members(ddb, table_name)
        == before
        == {
            "active": 3,
            "rewards=0": 2,
            "rewards=1": 1,
            "rewardReady": 1,
            "lastDay=2026-11-20": 1,
            "lastDay=2026-11-21": 2,
        }
    )
    # Run again: nothing to fold, nothing added twice.
    assert fold_members_counts(ddb, table_name).folded == 0
    assert members(ddb, table_name) == before


def test_a_stopped_fold_is_finished_by_running_it_again(ddb: Any, table_name: str) -> None:
    spread_items(ddb, table_name)
    before = members(ddb, table_name)
    first = fold_members_counts(ddb, table_name, limit=1, page_size=1)
    assert first.folded == 1 and first.start_after is not None
    assert members(ddb, table_name) == before  # half folded reads the same
    rest = fold_members_counts(ddb, table_name)
    assert (rest.folded, rest.start_after) == (1, None)
    assert members(ddb, table_name) == before and list(members_items(ddb, table_name, OFFER)) == [
        MEMBERS_SORT
    ]


def test_a_member_counted_under_the_spread_nets_to_zero_once_folded(ddb: Any, table_name: str) -> None:
    """Counted in shard item 2 by the earlier ledger, the member's visit now takes them off that day in the one
    item: +1 and -1 in two items, neither removable, until the fold puts them together."""
    pass_ = replace(fresh_pass(), offer_id=OFFER, last_activity_at="2026-11-02T09:00:00.000Z")
    ddb.put_item(
        TableName=table_name,
        Item=to_item(
            {
                "PK": stats_partition(OFFER),
                "SK": "MEMBERS#2",
                "entity": "STATS",
                **tally("ENROLL", None, pass_).members,
            }
        ),
    )
    after = replace(pass_, version=2, current_stamps=1, last_activity_at="2026-11-23T09:00:00.000Z")
    visit = LedgerEntry(after, ChangeNote("STAMP", "u", "main"), "2026-11-23", tally("STAMP", pass_, after))
    assert DynamoLedger(ddb, table_name).write([visit]) == 1
    assert members_items(ddb, table_name, OFFER)["MEMBERS#0"]["lastDay=2026-11-02"] == {"N": "-1"}
    fold_members_counts(ddb, table_name)
    (item,) = members_items(ddb, table_name, OFFER).values()
    assert item["lastDay=2026-11-02"] == {"N": "0"}  # a zero, which the ledger's next updates remove
    assert members(ddb, table_name)["lastDay=2026-11-23"] == 1


def test_the_command_folds_and_then_says_nothing_is_left(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    spread_items(ddb, table_name)
    args = ["fold-members-counts", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local([*args, "--limit", "1"]) == 0
    assert "continue with --start-after" in capsys.readouterr().out
    assert loyalty_local(args) == 0
    out = capsys.readouterr().out
    assert "folded 1 members item(s)" in out and "0 to go" in out
