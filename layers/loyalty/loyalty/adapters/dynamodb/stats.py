"""An offer's stats counters in the single table: written by the ledger with each pass change's audit event
(docs/decisions/0011-ledger-from-the-stream.md), read by date range. Layout (partition `STATS#<offerId>`):
- `DAY#<YYYY-MM-DD>#<shard>`: the day's counts (`stamps`, ...) and per branch (`stamps@<branchId>`, ...);
- `MEMBERS#0`: members now (`active`, `expired`, `rewardReady`, `rewards=<n>`, by last day and day at risk);
  `MEMBERS#1` to `#3` only where an offer's counts were spread over four items before decision 0021l.

A day's counts are spread over STATS_SHARDS items by the branch the change was made at (by the customer for a
change made at no branch), so each branch's counters are kept in one item of the day, not repeated in every shard:
a read of a range costs about the days' counts, not days x branches x shards (docs/decisions/0021c). The members
counts are ONE item an offer (docs/decisions/0021l): a batch adds to it once, concurrent stream shards move their
own watermarks in it without meeting (0021g), and a member's counts by day (last day of activity, day at risk) go
up and down in it and fall to zero there when the member moves on, so the ledger removes them. A read adds up
whatever members items there are, and the day items' shards, so items written under earlier rules read the same."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.domain.stats import BRANCH_COUNTERS, DateRange, Tally, branch_counter

STATS_SHARDS = 4
# The offer's members counts (decision 0021l); `MEMBERS#1` to `#3` are folded into it by `fold-members-counts`.
MEMBERS_SORT = "MEMBERS#0"


def stats_partition(offer_id: str) -> str:
    return f"STATS#{offer_id}"


def stats_shard(spread_by: str) -> int:
    """The shard of a counter item: a fixed hash of what spreads the writes (a branch id or a customer id)."""
    return int.from_bytes(hashlib.sha256(spread_by.encode()).digest()[:4], "big") % STATS_SHARDS


def _add(table_name: str, partition: str, sort: str, counts: dict[str, int]) -> dict[str, Any]:
    names = {f"#c{n}": name for n, name in enumerate(sorted(counts))}
    return {
        "Update": {
            "TableName": table_name,
            "Key": {"PK": {"S": partition}, "SK": {"S": sort}},
            "UpdateExpression": "SET entity = :entity ADD "
            + ", ".join(f"{alias} :v{alias[2:]}" for alias in names),
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": {
                ":entity": {"S": "STATS"},
                **{f":v{alias[2:]}": {"N": str(counts[name])} for alias, name in names.items()},
            },
        }
    }


CounterItem = tuple[str, str]  # (PK, SK) of a counter item


def tally_counts(
    offer_id: str, customer_id: str, day: str, branch_id: str | None, counted: Tally
) -> dict[CounterItem, dict[str, int]]:
    """What one change's tally adds, by counter item (none when it moves nothing)."""
    partition = stats_partition(offer_id)
    items: dict[CounterItem, dict[str, int]] = {}
    day_counts = dict(counted.day)
    if branch_id:
        day_counts.update(
            {branch_counter(name, branch_id): n for name, n in counted.day.items() if name in BRANCH_COUNTERS}
        )
    if day_counts:
        items[(partition, f"DAY#{day}#{stats_shard(branch_id or customer_id)}")] = day_counts
    if counted.members:
        items[(partition, MEMBERS_SORT)] = dict(counted.members)
    return items


def counter_writes(table_name: str, counts: dict[CounterItem, Counter[str]]) -> list[dict[str, Any]]:
    """The TransactWriteItems elements that add summed counts: one Update an item (a transaction may not name an
    item twice), none for an item whose counts sum to nothing."""
    writes = []
    for (partition, sort), counter in counts.items():
        moved = {name: n for name, n in counter.items() if n}
        if moved:
            writes.append(_add(table_name, partition, sort, moved))
    return writes


class StatsReader:
    """Reads an offer's counters: one Query for the days of a range, one for the members. `requests` and
    `items_read` count what the last read cost (the bench prints them)."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name
        self.requests = 0
        self.items_read = 0

    def read(self, offer_id: str, span: DateRange) -> tuple[dict[str, Counter[str]], Counter[str]]:
        self.requests = self.items_read = 0
        days: dict[str, Counter[str]] = {}
        for item in self._query(
            offer_id, "SK BETWEEN :low AND :high", f"DAY#{span.start}", f"DAY#{span.end}#~"
        ):
            day = str(item["SK"]).split("#")[1]
            days.setdefault(day, Counter()).update(_counts(item))
        members: Counter[str] = Counter()
        for item in self._query(offer_id, "begins_with(SK, :low)", "MEMBERS#", None):
            members.update(_counts(item))
        return days, members

    def _query(self, offer_id: str, condition: str, low: str, high: str | None) -> list[dict[str, Any]]:
        values = {":pk": {"S": stats_partition(offer_id)}, ":low": {"S": low}}
        if high is not None:
            values[":high"] = {"S": high}
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": f"PK = :pk AND {condition}",
            "ExpressionAttributeValues": values,
        }
        items: list[dict[str, Any]] = []
        while True:
            answer = self._client.query(**request)
            self.requests += 1
            self.items_read += int(answer.get("ScannedCount", 0))
            items.extend(from_item(item) for item in answer.get("Items", []))
            if "LastEvaluatedKey" not in answer:
                return items
            request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def _counts(item: dict[str, Any]) -> Counter[str]:
    return Counter({name: int(value) for name, value in item.items() if isinstance(value, int)})
