"""Passes written before the one-write scan (a `cycleStamps` list, the ids repeated, no key slots) are brought to
the current layout once, by a resumable step (`loyalty-local migrate-passes`, docs/decisions/0019), before the
release whose scan knows one layout only: nothing a customer holds is lost, and a stopped run is finished by the
next."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.adapters.dynamodb.pass_migration import legacy_pass, migrate_pass_items
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.passes.commands import Actor
from loyalty.domain.ids import new_id
from loyalty_local.tools.cli import main as loyalty_local
from tests.support.fakes import FrozenClock
from tests.support.pass_actions import scan, void_stamp

pytestmark = pytest.mark.integration

BUSINESS = "biz_legacybusiness01"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")


def legacy_item(customer_id: str, offer_id: str) -> dict[str, Any]:
    """A pass item as the previous release wrote it."""
    at = "2027-02-28T09:00:00.000Z"
    return {
        "PK": {"S": f"PASS#{customer_id}#{offer_id}"},
        "SK": {"S": "PASS"},
        "entity": {"S": "PASS"},
        "customerId": {"S": customer_id},
        "offerId": {"S": offer_id},
        "businessId": {"S": BUSINESS},
        "passSerial": {"S": "serial"},
        "authToken": {"S": "t" * 32},
        "status": {"S": "ACTIVE"},
        "currentStamps": {"N": "2"},
        "stampsRequired": {"N": "5"},
        "rewardsClaimed": {"N": "0"},
        "lifetimeStamps": {"N": "2"},
        "memberSince": {"S": at},
        "lastActivityAt": {"S": at},
        "createdAt": {"S": at},
        "updatedAt": {"S": at},
        "version": {"N": "3"},
        "email": {"S": "old@example.com"},
        "customerName": {"S": "Old"},
        "preferredLanguage": {"S": "en"},
        "cycleStamps": {
            "L": [
                {"M": {"at": {"S": at}, "branchId": {"S": "branch-1"}}},
                {"M": {"at": {"S": at}, "branchId": {"S": "branch-1"}}},
            ]
        },
        "lastStampAt": {"S": at},
        "GSI3PK": {"S": f"PASSES#{offer_id}"},
        "GSI3SK": {"S": customer_id},
    }


def raw(ddb: Any, table_name: str, customer_id: str, offer_id: str) -> dict[str, Any]:
    key = {"PK": {"S": f"PASS#{customer_id}#{offer_id}"}, "SK": {"S": "PASS"}}
    return dict(ddb.get_item(TableName=table_name, Key=key, ConsistentRead=True)["Item"])


def legacy_passes(ddb: Any, table_name: str, count: int) -> list[tuple[str, str]]:
    made = []
    for _ in range(count):
        customer_id, offer_id = new_id("cus"), new_id("off")
        ddb.put_item(TableName=table_name, Item=legacy_item(customer_id, offer_id))
        made.append((customer_id, offer_id))
    return made


def test_the_migration_gives_a_legacy_item_the_current_layout_and_keeps_the_pass_as_it_was(
    ddb: Any, table_name: str
) -> None:
    ((customer_id, offer_id),) = legacy_passes(ddb, table_name, 1)
    before = legacy_pass(from_item(legacy_item(customer_id, offer_id)))
    assert len(before.cycle_stamps) == 2
    assert migrate_pass_items(ddb, table_name).converted == 1
    item = raw(ddb, table_name, customer_id, offer_id)
    assert {"k0", "k1", "k2", "m0", "m1"} <= set(item)
    assert not {"cycleStamps", "GSI3PK", "GSI3SK", "customerId", "offerId"} & set(item)
    # The same pass, on the same version (no customer sees a change; the ledger writes nothing for it).
    assert pass_from_plain(from_item(item)) == before
    assert migrate_pass_items(ddb, table_name).converted == 0


def test_a_migrated_pass_takes_a_keyed_scan_in_one_write_and_a_void(ddb: Any, table_name: str) -> None:
    ((customer_id, offer_id),) = legacy_passes(ddb, table_name, 1)
    migrate_pass_items(ddb, table_name)
    store, clock = DynamoPassStore(ddb, table_name), FrozenClock()
    first = scan(store, clock, MANAGER, customer_id, offer_id, "legacy-1", offers=lambda _: None)
    again = scan(store, clock, MANAGER, customer_id, offer_id, "legacy-1", offers=lambda _: None)
    assert first.status == 200 and again.body == first.body
    assert first.body["progress"]["currentStamps"] == 3
    # The manager may still take back the stamp just given.
    assert void_stamp(store, clock, MANAGER, customer_id, offer_id, None).status == 200


def test_a_stopped_migration_is_finished_by_running_it_again(ddb: Any, table_name: str) -> None:
    passes = legacy_passes(ddb, table_name, 3)
    first = migrate_pass_items(ddb, table_name, limit=1, page_size=1)
    assert (first.converted, first.left) == (1, 0) and first.start_after is not None
    following = migrate_pass_items(ddb, table_name, limit=1, start_after=first.start_after, page_size=1)
    assert following.converted == 1
    # A run from the start finds only what is left (it finds its work by the old layout's marks).
    rest = migrate_pass_items(ddb, table_name)
    assert (rest.converted, rest.start_after) == (1, None)
    assert all("k0" in raw(ddb, table_name, *address) for address in passes)
    assert migrate_pass_items(ddb, table_name).converted == 0


def test_the_command_converts_and_then_says_nothing_is_left(
    ddb: Any, table_name: str, dynamodb_endpoint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy_passes(ddb, table_name, 2)
    args = ["migrate-passes", "--endpoint", dynamodb_endpoint, "--table", table_name]
    assert loyalty_local([*args, "--limit", "1"]) == 0
    assert "continue with --start-after" in capsys.readouterr().out
    assert loyalty_local(args) == 0
    out = capsys.readouterr().out
    assert "converted 1 pass item(s)" in out and "0 to go" in out
