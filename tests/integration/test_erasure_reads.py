"""Erasure against DynamoDB Local: it finds the enrollments' stored answers (which name the customer) through the
keys the ledger keeps beside the events (docs/decisions/0021b), so what it reads does not grow with the events;
and events ledgered before those keys were kept are brought in by the backfill, so their answers go too."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.customers import CustomerStore
from loyalty.adapters.dynamodb.enroll_keys import PREFIX, backfill_enroll_keys
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.customers.erasure import erase_customer
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import ENROLL_SCOPE
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes.commands import Actor
from loyalty.domain.offers import parse_offer_terms
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.cloud.ledger_drain import drain
from tests.support import pass_actions

pytestmark = pytest.mark.integration

BUSINESS = "biz_erasurereads0000000000"
EMAIL = "reader.erased@example.com"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now


class ItemsRead:
    """Items DynamoDB reports having read (ScannedCount of each Query), on the client it is attached to."""

    def __init__(self, client: Any) -> None:
        self.count = 0
        client.meta.events.register("after-call.dynamodb.Query", self._seen)

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        self.count += int(parsed.get("ScannedCount", 0))


def _customer_with(ddb: Any, table: str, events: int) -> tuple[str, str]:
    """A customer enrolled with an Idempotency-Key, then `events` stamps and prizes; the stream ledgered."""
    clock, store = Clock(), DynamoPassStore(ddb, table)
    offer = create_offer(
        DynamoOfferStore(ddb, table),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Reads", "stampsRequired": 5})),
        clock=clock,
    )
    form = EnrollmentRequest(email=EMAIL, name="Reader Erased")
    joined = pass_actions.enroll(
        store, clock, offer.offer_id, form, RecoveryMail.never_mailing(), "join-key-1"
    )
    customer = str(joined.body["customerId"])
    actor = Actor("user-north", BUSINESS, "north", is_owner=True)
    for n in range(events):
        if n % 6 == 5:
            pass_actions.confirm_prize(store, clock, actor, customer, offer.offer_id)
        else:
            pass_actions.scan(store, clock, actor, customer, offer.offer_id)
    drain(ddb, table)
    return customer, offer.offer_id


def _stored_answer(ddb: Any, table: str, offer_id: str) -> dict[str, Any] | None:
    """The enrollment's stored answer (its body names the customer), if it is still there."""
    # Under the scope of every offer's enrollments (decision 0020a); the offer is in the request's fingerprint.
    key = {name: {"S": value} for name, value in keys.idempotency_key(ENROLL_SCOPE, "join-key-1").items()}
    item: dict[str, Any] | None = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
    return item


def _holding_email(ddb: Any, table: str) -> list[dict[str, Any]]:
    found = []
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        found += [item for item in page["Items"] if EMAIL in str(item)]
    return found


@pytest.mark.parametrize("events", [12, 240])
def test_erasure_reads_the_same_whatever_the_events(
    dynamodb_endpoint: str, ddb: Any, table_name: str, events: int
) -> None:
    customer, offer_id = _customer_with(ddb, table_name, events)
    assert _holding_email(ddb, table_name) and _stored_answer(ddb, table_name, offer_id) is not None
    reader = dynamodb_client(dynamodb_endpoint)
    read = ItemsRead(reader)
    erase_customer(
        CustomerStore(reader, table_name),
        DynamoPassStore(reader, table_name),
        Clock(),
        BUSINESS,
        customer,
        "o",
    )
    assert read.count <= 5, f"erasure read {read.count} items for a pass of {events + 1} events"
    assert _holding_email(ddb, table_name) == []
    assert _stored_answer(ddb, table_name, offer_id) is None


def test_the_backfill_brings_earlier_enrollments_within_erasures_reach(ddb: Any, table_name: str) -> None:
    customer, offer_id = _customer_with(ddb, table_name, 20)
    # As the ledger left a table before it kept the keys: no enroll-key item.
    kept = ddb.scan(
        TableName=table_name,
        FilterExpression="begins_with(SK, :kept)",
        ExpressionAttributeValues={":kept": {"S": PREFIX}},
    )["Items"]
    assert len(kept) == 1 and kept[0]["idempotencyKey"]["S"] == "join-key-1"
    ddb.delete_item(TableName=table_name, Key={"PK": kept[0]["PK"], "SK": kept[0]["SK"]})

    first = backfill_enroll_keys(ddb, table_name)
    again = backfill_enroll_keys(ddb, table_name)
    assert (first.written, first.start_after) == (1, None)
    assert again.written == 1  # the same item again: nothing changes

    erase_customer(
        CustomerStore(ddb, table_name), DynamoPassStore(ddb, table_name), Clock(), BUSINESS, customer, "o"
    )
    assert _holding_email(ddb, table_name) == []
    assert _stored_answer(ddb, table_name, offer_id) is None
    assert DynamoPassStore(ddb, table_name).snapshot(pass_key=(customer, offer_id)).pass_ is not None
