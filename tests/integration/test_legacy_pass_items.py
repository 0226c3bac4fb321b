"""Passes written before the one-write scan (a `cycleStamps` list, the ids repeated, no key slots) are served as
before and take the new layout on their first change: nothing a customer holds is lost on deploy."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.passes.commands import Actor
from loyalty.domain.ids import new_id
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


def test_a_legacy_pass_is_read_as_before() -> None:
    customer_id, offer_id = new_id("cus"), new_id("off")
    card = pass_from_plain(from_item(legacy_item(customer_id, offer_id)))
    assert (card.customer_id, card.current_stamps, len(card.cycle_stamps)) == (customer_id, 2, 2)


def test_a_keyed_scan_of_a_legacy_pass_stamps_once_and_gives_it_the_new_layout(
    ddb: Any, table_name: str
) -> None:
    customer_id, offer_id = new_id("cus"), new_id("off")
    ddb.put_item(TableName=table_name, Item=legacy_item(customer_id, offer_id))
    store, clock = DynamoPassStore(ddb, table_name), FrozenClock()
    first = scan(store, clock, MANAGER, customer_id, offer_id, "legacy-1", offers=lambda _: None)
    again = scan(store, clock, MANAGER, customer_id, offer_id, "legacy-1", offers=lambda _: None)
    assert first.status == 200 and again.body == first.body
    assert first.body["progress"]["currentStamps"] == 3
    raw = ddb.get_item(
        TableName=table_name, Key={"PK": {"S": f"PASS#{customer_id}#{offer_id}"}, "SK": {"S": "PASS"}}
    )["Item"]
    assert {"k0", "k1", "k2", "m0"} <= set(raw)
    assert not {"cycleStamps", "GSI3PK", "GSI3SK"} & set(raw)
    # The manager may still take back the stamp just given.
    assert void_stamp(store, clock, MANAGER, customer_id, offer_id, None).status == 200
