"""The ledger's counters under concurrent stream shards: 4 consumers, one hot offer, one branch (DynamoDB Local).

Each consumer is a thread with its own stream shard id and its own ledger, handing over its shard's pass changes
in batches of the template's BatchSize, all at once: every change of every shard adds to the same offer's day
item and members items. A conflict is anything that made a consumer hand changes back or refused an update for a
reason other than a redelivery (there is none here): the ledger's refused updates plus the changes handed back.
The counts read back are checked against what the changes add: none lost, none doubled
(docs/decisions/0021g)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import date

from bench.bench_scan import _ledger_batch_size
from bench.figures import Figure
from loyalty.adapters.dynamodb.ledger import DynamoLedger
from loyalty.adapters.dynamodb.stats import StatsReader
from loyalty.app.ports.ledger import LedgerEntry
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.passes import Pass, new_pass
from loyalty.domain.stats import DateRange, tally
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local

CONSUMERS = 4
PASSES_PER_SHARD = 50
STAMPS_PER_PASS = 8
DAY = "2027-01-05"
OFFER = "off_benchledgerhot0000000000"


def _pass(customer: str) -> Pass:
    return new_pass(
        customer_id=customer,
        offer_id=OFFER,
        business_id="biz_benchledger00000001",
        stamps_required=10,
        email="guest@example.com",
        customer_name="Guest",
        preferred_language="en",
        pass_serial=customer[4:],
        auth_token="t" * 32,
        at=f"{DAY}T09:00:00.000Z",
    )


def _shard_changes(shard: str, n: int) -> list[LedgerEntry]:
    """One shard's changes: its passes enrolled, then stamped (a full card now and then moves the members)."""
    entries: list[LedgerEntry] = []
    passes = [_pass(f"cus_{n}{k:025d}") for k in range(PASSES_PER_SHARD)]
    entries.extend(
        LedgerEntry(p, ChangeNote("ENROLL", "customer"), DAY, tally("ENROLL", None, p)) for p in passes
    )
    for _ in range(STAMPS_PER_PASS):
        for k, before in enumerate(passes):
            after = replace(
                before,
                version=before.version + 1,
                current_stamps=before.current_stamps + 1,
                lifetime_stamps=before.lifetime_stamps + 1,
            )
            note = ChangeNote("STAMP", "user-1", "main")
            entries.append(LedgerEntry(after, note, DAY, tally("STAMP", before, after)))
            passes[k] = after
    return [replace(e, lane=shard, position=str(10**20 + 11 * i)) for i, e in enumerate(entries)]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        client = dynamodb_client(local.endpoint)
        table = f"bench-ledger-{int(time.time())}"
        create_table(client, table)
        shards = [f"shardId-0000000179{n:010d}-hot{n:05d}" for n in range(CONSUMERS)]
        work = {shard: _shard_changes(shard, n) for n, shard in enumerate(shards)}
        ledgers = {shard: DynamoLedger(client, table) for shard in shards}
        batch = _ledger_batch_size()
        handed_back: Counter[str] = Counter()
        start = threading.Barrier(CONSUMERS)
        seconds: dict[str, float] = {}

        def consume(shard: str) -> None:
            entries = work[shard]
            start.wait()
            began = time.perf_counter()
            for first in range(0, len(entries), batch):
                part = entries[first : first + batch]
                handed_back[shard] += len(part) - ledgers[shard].write(part)
            seconds[shard] = time.perf_counter() - began

        threads = [threading.Thread(target=consume, args=(shard,)) for shard in shards]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refused = sum(ledger.counters.refused for ledger in ledgers.values())
        days, members = StatsReader(client, table).read(OFFER, DateRange(date(2027, 1, 5), date(2027, 1, 5)))
        everything = [entry for entries in work.values() for entry in entries]
        want: Counter[str] = Counter()
        for entry in everything:
            want.update(entry.counted.day)
        got = days.get(DAY, Counter())
        wrong = sum(abs(got[name] - n) for name, n in want.items())
        wrong += abs(members["active"] - CONSUMERS * PASSES_PER_SHARD)
        client.delete_table(TableName=table)
    finally:
        local.stop()
    per_shard = statistics_mean([len(work[s]) / seconds[s] for s in shards])
    return [
        Figure(
            f"ledger conflicts with {CONSUMERS} concurrent consumers (one hot offer)",
            refused + sum(handed_back.values()),
            "conflicts",
            f"aim 0; {len(everything)} changes of one offer at one branch, batches of {batch}, all on one day"
            " item: updates refused + changes handed back",
        ),
        Figure(
            "  counts lost or doubled with them",
            wrong,
            "counts",
            "aim 0; the day's counters and the members read back against what the changes add",
        ),
        Figure(
            f"  ledger records per second per shard ({CONSUMERS} at once, one hot offer)",
            per_shard,
            "records/s",
            "DynamoDB Local on this machine",
        ),
    ]


def statistics_mean(values: list[float]) -> float:
    return sum(values) / len(values)
