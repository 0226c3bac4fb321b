"""A members counter item after a year of visits: what one update of it costs, with the counts that fell to zero
removed (decision 0021l) and as they were kept before.

An offer with 300 members, ten of them visiting each day for a year, ledgered a batch a day through the ledger's
writer on DynamoDB Local. Each visit moves the member's last day of activity and day at risk, so the counts of the
days left behind fall to zero. The figure is the write units DynamoDB charges for one more update of the largest
members item (`ReturnConsumedCapacity`), which every later batch pays."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

from bench.figures import Figure
from loyalty.adapters.dynamodb import ledger_counters
from loyalty.adapters.dynamodb.ledger import DynamoLedger
from loyalty.adapters.dynamodb.stats import stats_partition
from loyalty.app.ports.ledger import LedgerEntry
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.passes import Pass, new_pass
from loyalty.domain.stats import tally
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

MEMBERS = 300
VISITS_A_DAY = 10
DAYS = 365
START = datetime(2026, 1, 1, 9, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _a_year(client: Any, table: str) -> tuple[str, int, float]:
    """Ledger a year of visits; the largest members item's attribute count and an update's write units."""
    ledger = DynamoLedger(client, table)
    rng = random.Random(7)
    passes: list[Pass] = []
    position = 0
    enrolled = []
    for n in range(MEMBERS):
        pass_ = new_pass(
            customer_id=f"cus_{n:026d}",
            offer_id="off_benchmembersitem00001",
            business_id="biz_benchmembersitem0001",
            stamps_required=10,
            email=f"member.{n}@mail.example.com",
            customer_name="Member",
            preferred_language="en",
            pass_serial=f"serial-{n}",
            auth_token="t" * 32,
            at=_iso(START),
        )
        passes.append(pass_)
        position += 1
        enrolled.append(
            LedgerEntry(
                pass_,
                ChangeNote("ENROLL", "customer"),
                _iso(START)[:10],
                tally("ENROLL", None, pass_),
                lane="shard-1",
                position=str(position),
            )
        )
    ledger.write(enrolled)
    for day in range(1, DAYS):
        at = _iso(START + timedelta(days=day))
        batch = []
        for n in rng.sample(range(MEMBERS), VISITS_A_DAY):
            before = passes[n]
            after = replace(
                before,
                version=before.version + 1,
                current_stamps=(before.current_stamps + 1) % before.stamps_required,
                last_activity_at=at,
                updated_at=at,
            )
            passes[n] = after
            position += 1
            batch.append(
                LedgerEntry(
                    after,
                    ChangeNote("STAMP", "user-1", "main"),
                    at[:10],
                    tally("STAMP", before, after),
                    lane="shard-1",
                    position=str(position),
                )
            )
        ledger.write(batch)
    found = client.query(
        TableName=table,
        KeyConditionExpression="PK = :p AND begins_with(SK, :m)",
        ExpressionAttributeValues={":p": {"S": stats_partition(passes[0].offer_id)}, ":m": {"S": "MEMBERS#"}},
    )["Items"]
    largest = max(found, key=len)
    answer = client.update_item(
        TableName=table,
        Key={"PK": largest["PK"], "SK": largest["SK"]},
        UpdateExpression="ADD active :none",
        ExpressionAttributeValues={":none": {"N": "0"}},
        ReturnConsumedCapacity="TOTAL",
    )
    return str(largest["SK"]["S"]), len(largest), float(answer["ConsumedCapacity"]["CapacityUnits"])


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        client = dynamodb_client(local.endpoint)
        create_table(client, "bench-members-item-now")
        _, now_attributes, now_units = _a_year(client, "bench-members-item-now")
        create_table(client, "bench-members-item-kept")
        with mock.patch.object(ledger_counters, "ZEROS_KEPT", 10**9):  # the zeros kept, as before
            _, kept_attributes, kept_units = _a_year(client, "bench-members-item-kept")
    finally:
        local.stop()
    return [
        Figure(
            "write units of a members item update (a year, 300 members)",
            now_units,
            "WCU",
            f"the largest of the offer's 4 members items: {now_attributes} attributes, the counts that fell to zero"
            f" removed ({VISITS_A_DAY} visits a day, a batch a day)",
        ),
        Figure(
            "  the same with the zeros kept (before)",
            kept_units,
            "WCU",
            f"{kept_attributes} attributes; it grows with every day members leave behind",
        ),
    ]
