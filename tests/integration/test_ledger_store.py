"""The ledger's writer against DynamoDB Local: a change handed over again writes nothing twice, a chunk holding an
already written event still counts the others, more than a transaction's 100 items go in several, a collision is
tried again, and an event item stays small."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.ledger import DynamoLedger, chunks, event_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import STATS_SHARDS, StatsReader
from loyalty.app.ports.ledger import LedgerEntry
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.passes import Pass
from loyalty.domain.stats import DateRange, tally
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

DAY = "2026-11-23"


def enrolled(n: int) -> Pass:
    return replace(fresh_pass(), customer_id=f"cus_{n:026d}")


def enroll(pass_: Pass) -> LedgerEntry:
    return LedgerEntry(pass_, ChangeNote("ENROLL", "customer"), DAY, tally("ENROLL", None, pass_))


def stamp(pass_: Pass, branch: str = "north") -> tuple[Pass, LedgerEntry]:
    after = replace(
        pass_,
        version=pass_.version + 1,
        current_stamps=pass_.current_stamps + 1,
        lifetime_stamps=pass_.lifetime_stamps + 1,
    )
    return after, LedgerEntry(after, ChangeNote("STAMP", "user-1", branch), DAY, tally("STAMP", pass_, after))


def read_counts(ddb: Any, table: str, offer_id: str) -> tuple[Counter[str], Counter[str]]:
    days, members = StatsReader(ddb, table).read(offer_id, DateRange(date(2026, 11, 23), date(2026, 11, 23)))
    return days.get(DAY, Counter()), members


def events(ddb: Any, table: str, pass_: Pass) -> list[dict[str, Any]]:
    items, _ = DynamoPassStore(ddb, table).events(pass_.customer_id, pass_.offer_id, limit=1000)
    return items


def test_a_change_handed_over_again_writes_nothing_twice(ddb: Any, table_name: str) -> None:
    pass_ = enrolled(1)
    _, first_stamp = stamp(pass_)
    ledger = DynamoLedger(ddb, table_name)
    batch = [enroll(pass_), first_stamp]
    assert ledger.write(batch) == 2
    assert ledger.write(batch) == 2  # the whole batch again, as the stream may
    assert ledger.write([first_stamp]) == 1
    assert [(e["kind"], e["version"]) for e in events(ddb, table_name, pass_)] == [
        ("STAMP", 2),
        ("ENROLL", 1),
    ]
    day, members = read_counts(ddb, table_name, pass_.offer_id)
    assert (day["enrollments"], day["stamps"], day["stamps@north"]) == (1, 1, 1)
    assert (members["active"], members["rewards=0"]) == (1, 1)


def test_a_chunk_with_an_event_written_already_still_counts_the_others(ddb: Any, table_name: str) -> None:
    pass_batch = [enrolled(n) for n in range(4)]
    ledger = DynamoLedger(ddb, table_name)
    assert ledger.write([enroll(pass_batch[1])]) == 1
    before = ledger.transactions
    assert ledger.write([enroll(pass_) for pass_ in pass_batch]) == 4
    assert ledger.transactions - before == 2, "refused once for the written event, then written without it"
    day, members = read_counts(ddb, table_name, pass_batch[0].offer_id)
    assert day["enrollments"] == 4 and members["active"] == 4
    assert all(len(events(ddb, table_name, pass_)) == 1 for pass_ in pass_batch)


def test_more_than_a_transaction_holds_goes_in_chunks_and_counts_each_change_once(
    ddb: Any, table_name: str
) -> None:
    entries: list[LedgerEntry] = []
    for n in range(60):
        pass_ = enrolled(n)
        entries.append(enroll(pass_))
        branch = "north" if n % 2 else "south"
        _, stamped = stamp(pass_, branch)
        entries.append(stamped)
    ledger = DynamoLedger(ddb, table_name)
    # Half of them first (a redelivered prefix), then all.
    assert ledger.write(entries[:61]) == 61
    assert ledger.write(entries) == 120
    assert len(ledger.transaction(entries)) > 100, "as one transaction, the batch would be too big"
    day, members = read_counts(ddb, table_name, entries[0].pass_.offer_id)
    assert (day["enrollments"], day["stamps"], day["stamps@north"], day["stamps@south"]) == (60, 60, 30, 30)
    assert members["active"] == 60 and members["rewards=0"] == 60
    # Each counter item once per transaction: 4 shards of the day and of the members at most.
    assert len(ledger.transaction(entries[:10])) <= 10 + 2 * STATS_SHARDS


def test_a_chunk_is_never_more_than_100_items(ddb: Any, table_name: str) -> None:
    entries = []
    for n in range(150):
        pass_ = replace(enrolled(n), offer_id=f"off_{n % 70:026d}")  # many offers: many counter items
        entries.append(enroll(pass_))
    runs = chunks(entries)
    ledger = DynamoLedger(ddb, table_name)
    assert [entry for run in runs for entry in run] == entries
    assert all(len(ledger.transaction(run)) <= 100 for run in runs) and len(runs) > 2
    assert ledger.write(entries) == 150


class Colliding:
    """The table's client, but the first `times` transactions collide with another one."""

    def __init__(self, ddb: Any, times: int, code: str = "TransactionConflict") -> None:
        self.ddb, self.times, self.code = ddb, times, code

    def transact_write_items(self, **request: Any) -> Any:
        if self.times:
            self.times -= 1
            reasons = [{"Code": "None"}, {"Code": self.code}] + [{"Code": "None"}] * (
                len(request["TransactItems"]) - 2
            )
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "x"},
                    "CancellationReasons": reasons,
                },  # type: ignore[typeddict-unknown-key]
                "TransactWriteItems",
            )
        return self.ddb.transact_write_items(**request)


def test_a_collision_is_tried_again_and_a_lasting_one_hands_the_rest_back(ddb: Any, table_name: str) -> None:
    pass_batch = [enrolled(n) for n in range(3)]
    pauses: list[int] = []
    ledger = DynamoLedger(Colliding(ddb, 2), table_name, pause=pauses.append)
    assert ledger.write([enroll(pass_) for pass_ in pass_batch]) == 3
    assert pauses == [1, 2]
    stuck = DynamoLedger(Colliding(ddb, 100), table_name, max_attempts=3, pause=lambda _: None)
    later = [enrolled(n) for n in range(3, 5)]
    assert stuck.write([enroll(pass_) for pass_ in later]) == 0
    assert events(ddb, table_name, later[0]) == []
    refused = DynamoLedger(Colliding(ddb, 1, code="ValidationError"), table_name, pause=pauses.append)
    assert refused.write([enroll(pass_) for pass_ in later]) == 0 and pauses == [1, 2], "not tried again"


def test_an_event_item_stays_under_a_kilobyte(ddb: Any, table_name: str) -> None:
    pass_ = replace(
        fresh_pass(),
        customer_id="cus_" + "a" * 26,
        offer_id="off_" + "b" * 26,
        current_stamps=9,
        stamps_required=10,
        rewards_claimed=123,
        lifetime_stamps=12345,
        version=99999,
    )
    note = ChangeNote(
        "VOID", "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", "branch_" + "c" * 24, "stamped by mistake"
    )
    item = to_item(event_item(LedgerEntry(pass_, note, DAY, tally("VOID", pass_, pass_))))
    size = sum(len(name.encode()) + _value_size(value) for name, value in item.items())
    assert size < 1024, size
    ddb.put_item(TableName=table_name, Item=item)
    stored = from_item(ddb.get_item(TableName=table_name, Key={"PK": item["PK"], "SK": item["SK"]})["Item"])
    assert (
        stored["SK"] == "EVENT#v0000099999" and stored["stampsRequired"] == 10 and stored["version"] == 99999
    )
    print(f"event item: {size} bytes")


def _value_size(value: dict[str, Any]) -> int:
    """DynamoDB's item size rules for the types an event holds: strings by UTF-8 length, numbers ~1 byte per two
    digits plus one, booleans 1."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        return (len(raw.lstrip("-")) + 1) // 2 + 1
    return 1
