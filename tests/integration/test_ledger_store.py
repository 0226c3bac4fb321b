"""The ledger's writer against DynamoDB Local, without transactions (docs/decisions/0021g): a batch delivered
twice, cut in the middle and delivered again from the failure point, or bisected adds every change once; four
consumers of four shards adding to one hot offer's counters at once neither collide nor lose nor double a count;
a throttled event write comes back; a counter item's watermarks stay few and small; an event item stays small."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.ledger import DynamoLedger, event_item
from loyalty.adapters.dynamodb.ledger_counters import IDLE_SECONDS, KEPT_LANES, WATERMARK_PREFIX, ZEROS_KEPT
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import StatsReader, stats_partition
from loyalty.app.ports.ledger import LedgerEntry
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.passes import Pass
from loyalty.domain.stats import DateRange, tally
from tests.support.passes import fresh_pass
from tests.support.stats_items import members_items

pytestmark = pytest.mark.integration

DAY = "2026-11-23"


def enrolled(n: int) -> Pass:
    return replace(fresh_pass(), customer_id=f"cus_{n:026d}")


def enroll(pass_: Pass) -> LedgerEntry:
    return LedgerEntry(pass_, ChangeNote("ENROLL", "customer"), DAY, tally("ENROLL", None, pass_))


def stamp(pass_: Pass, branch: str = "north", day: str = DAY) -> tuple[Pass, LedgerEntry]:
    after = replace(
        pass_,
        version=pass_.version + 1,
        current_stamps=pass_.current_stamps + 1,
        lifetime_stamps=pass_.lifetime_stamps + 1,
    )
    return after, LedgerEntry(after, ChangeNote("STAMP", "user-1", branch), day, tally("STAMP", pass_, after))


def read_counts(ddb: Any, table: str, offer_id: str) -> tuple[Counter[str], Counter[str]]:
    days, members = StatsReader(ddb, table).read(offer_id, DateRange(date(2026, 11, 23), date(2026, 11, 23)))
    return days.get(DAY, Counter()), members


def events(ddb: Any, table: str, pass_: Pass) -> list[dict[str, Any]]:
    items, _ = DynamoPassStore(ddb, table).events(pass_.customer_id, pass_.offer_id, limit=1000)
    return items


def on_shard(shard: str, entries: list[LedgerEntry], first: int = 1000) -> list[LedgerEntry]:
    """The entries as one stream shard hands them over: each at its record's sequence number, in order."""
    return [replace(entry, lane=shard, position=str(first + 7 * n)) for n, entry in enumerate(entries)]


def a_day_of(passes: int, stamps: int, branches: tuple[str, ...] = ("north", "south")) -> list[LedgerEntry]:
    """Enrollments, then each pass stamped `stamps` times, interleaved, at the offer's branches."""
    entries: list[LedgerEntry] = []
    current = [enrolled(n) for n in range(passes)]
    entries.extend(enroll(pass_) for pass_ in current)
    for round_ in range(stamps):
        for n, pass_ in enumerate(current):
            current[n], entry = stamp(pass_, branches[(n + round_) % len(branches)])
            entries.append(entry)
    return entries


def expected(entries: list[LedgerEntry]) -> tuple[Counter[str], Counter[str]]:
    day: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for entry in entries:
        day.update(entry.counted.day)
        branch = entry.note.branch_id
        if branch:
            day.update({f"{name}@{branch}": n for name, n in entry.counted.day.items() if name == "stamps"})
        members.update(entry.counted.members)
    return +day, +members


def assert_counted_once(ddb: Any, table: str, entries: list[LedgerEntry]) -> None:
    day, members = read_counts(ddb, table, entries[0].pass_.offer_id)
    want_day, want_members = expected(entries)
    assert (+day, +members) == (want_day, want_members)
    versions = Counter((e.pass_.customer_id, e.pass_.version) for e in entries)
    for customer in {e.pass_.customer_id for e in entries}:
        pass_ = next(e.pass_ for e in entries if e.pass_.customer_id == customer)
        written = [(customer, int(event["version"])) for event in events(ddb, table, pass_)]
        assert sorted(written) == sorted(key for key in versions if key[0] == customer), "one event a change"


def test_a_change_handed_over_again_writes_nothing_twice(ddb: Any, table_name: str) -> None:
    pass_ = enrolled(1)
    _, first_stamp = stamp(pass_)
    ledger = DynamoLedger(ddb, table_name)
    batch = [enroll(pass_), first_stamp]  # no shard named: the pass's versions order its changes
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


def test_a_batch_delivered_twice_counts_once_and_writes_no_transaction(ddb: Any, table_name: str) -> None:
    entries = on_shard("shardId-00000001700000000000-aaaa0001", a_day_of(30, 2))
    calls: Counter[str] = Counter()
    ddb.meta.events.register("before-call.dynamodb.*", lambda model, **_: calls.update([model.name]))
    ledger = DynamoLedger(ddb, table_name)
    assert ledger.write(entries) == len(entries) == 90
    assert calls["TransactWriteItems"] == 0
    # 90 events in 25s, and one update a counter item (at most 2 day shards x 4 + 4 member shards).
    assert calls["BatchWriteItem"] == 4 and calls["UpdateItem"] <= 12
    assert ledger.write(entries) == 90
    assert ledger.counters.refused == calls["UpdateItem"] / 2, "each counter item refused the second delivery"
    assert_counted_once(ddb, table_name, entries)


def test_a_change_named_twice_in_one_batch_is_added_once(ddb: Any, table_name: str) -> None:
    entries = on_shard("shardId-00000001700000000000-aaaa0007", a_day_of(3, 1))
    assert DynamoLedger(ddb, table_name).write([*entries, *entries[2:4]]) == len(entries) + 2
    assert_counted_once(ddb, table_name, entries)


class Failing:
    """The table's client, but updates of the counter items `failing` accepts fail (throttled) while `down`."""

    def __init__(self, ddb: Any, failing: Any) -> None:
        self.ddb, self.failing, self.down = ddb, failing, True
        self.meta = ddb.meta

    def update_item(self, **request: Any) -> Any:
        if self.down and self.failing(request["Key"]["SK"]["S"]):
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
                "UpdateItem",
            )
        return self.ddb.update_item(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ddb, name)


def test_a_batch_cut_in_the_middle_comes_back_from_the_failure_point_and_counts_once(
    ddb: Any, table_name: str
) -> None:
    entries = on_shard("shardId-00000001700000000000-aaaa0002", a_day_of(20, 3))
    client = Failing(ddb, lambda sort: sort.startswith("MEMBERS#"))
    ledger = DynamoLedger(client, table_name)
    written = ledger.write(entries)
    # The enrollments move the members' counts: the first one is where the batch is cut.
    assert written == 0
    day, members = read_counts(ddb, table_name, entries[0].pass_.offer_id)
    assert day["stamps"] == 60 and not members, "the day items were added to, the members items not"
    client.down = False
    assert ledger.write(entries[written:]) == len(entries)
    assert_counted_once(ddb, table_name, entries)


def test_a_batch_failing_on_a_later_change_hands_back_from_it_and_the_redelivery_adds_only_the_rest(
    ddb: Any, table_name: str
) -> None:
    entries = on_shard("shardId-00000001700000000000-aaaa0003", a_day_of(10, 3, branches=("north",)))
    late = replace(entries[-1], day="2026-11-24")  # the last change counts on the next day
    entries[-1] = late
    client = Failing(ddb, lambda sort: sort.startswith("DAY#2026-11-24"))
    ledger = DynamoLedger(client, table_name)
    assert ledger.write(entries) == len(entries) - 1, "handed back from the change that was not counted"
    client.down = False
    # Lambda hands the batch back from that record, with what came after it on the shard.
    _, more = stamp(entries[-1].pass_, "north", day="2026-11-24")
    redelivered = [late, replace(more, lane=late.lane, position=str(int(late.position) + 7))]
    before = ledger.counters.requests
    assert ledger.write(redelivered) == 2
    assert ledger.counters.requests - before == 1, "only the next day's item is written"
    days, _ = StatsReader(ddb, table_name).read(
        late.pass_.offer_id, DateRange(date(2026, 11, 23), date(2026, 11, 24))
    )
    assert days[DAY]["stamps"] == 29 and days["2026-11-24"]["stamps"] == 2


def test_a_redelivery_overlapping_what_was_added_adds_only_what_is_after_the_watermark(
    ddb: Any, table_name: str
) -> None:
    entries = on_shard("shardId-00000001700000000000-aaaa0004", a_day_of(12, 4))
    ledger = DynamoLedger(ddb, table_name)
    # Bisection: the first half, then the second; a retry of the whole; then a prefix of it; then an overlap.
    half = len(entries) // 2
    assert ledger.write(entries[:half]) == half
    assert ledger.write(entries[half:]) == len(entries) - half
    assert ledger.write(entries) == len(entries)
    assert ledger.write(entries[: half // 2]) == half // 2
    assert ledger.write(entries[half - 5 : half + 5]) == 10
    assert_counted_once(ddb, table_name, entries)


def test_a_change_after_a_partly_added_batch_is_added_once_the_watermark_is_read(
    ddb: Any, table_name: str
) -> None:
    """A counter item added to up to the middle of a batch: the batch again (from before that point, with more
    after it) is refused once, reads the watermark from the refusal and adds only what comes after it."""
    entries = on_shard("shardId-00000001700000000000-aaaa0005", a_day_of(1, 8, branches=("north",)))
    ledger = DynamoLedger(ddb, table_name)
    assert ledger.write(entries[:5]) == 5
    refused = ledger.counters.refused
    assert ledger.write(entries[2:]) == len(entries) - 2
    assert ledger.counters.refused - refused >= 1
    assert_counted_once(ddb, table_name, entries)


def test_four_consumers_of_four_shards_on_one_hot_offer_neither_collide_nor_lose_a_count(
    ddb: Any, table_name: str
) -> None:
    """One offer, one branch: every change of every shard adds to the same day item and the same members items."""
    shards = [f"shardId-0000000170000000000{n}-hot{n:05d}" for n in range(4)]
    work = {
        shard: on_shard(
            shard,
            [
                replace(e, pass_=replace(e.pass_, customer_id=f"cus_{n}{e.pass_.customer_id[5:]}"))
                for e in a_day_of(15, 5, branches=("main",))
            ],
        )
        for n, shard in enumerate(shards)
    }
    ledgers = {shard: DynamoLedger(ddb, table_name) for shard in shards}
    start = threading.Barrier(len(shards))
    handed_back: list[int] = []

    def consume(shard: str) -> None:
        entries = work[shard]
        start.wait()
        for first in range(0, len(entries), 10):  # batches of 10, the stream's way
            batch = entries[first : first + 10]
            handed_back.append(len(batch) - ledgers[shard].write(batch))

    threads = [threading.Thread(target=consume, args=(shard,)) for shard in shards]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not any(handed_back), "nothing handed back"
    assert sum(ledger.counters.refused for ledger in ledgers.values()) == 0, "no update refused: no conflict"
    everything = [entry for entries in work.values() for entry in entries]
    day, members = read_counts(ddb, table_name, everything[0].pass_.offer_id)
    assert (day["enrollments"], day["stamps"], day["stamps@main"]) == (60, 300, 300)
    assert members["active"] == 60
    assert_counted_once(ddb, table_name, everything)


class Throttled:
    """The table's client, but BatchWriteItem leaves its last item unprocessed `times` times."""

    def __init__(self, ddb: Any, times: int) -> None:
        self.ddb, self.times = ddb, times
        self.meta = ddb.meta

    def batch_write_item(self, **request: Any) -> Any:
        ((table, items),) = request["RequestItems"].items()
        if self.times:
            self.times -= 1
            answer = self.ddb.batch_write_item(RequestItems={table: items[:-1]}) if items[:-1] else {}
            return {**answer, "UnprocessedItems": {table: items[-1:]}}
        return self.ddb.batch_write_item(**request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ddb, name)


def test_an_unprocessed_event_is_tried_again_and_a_lasting_one_is_handed_back(
    ddb: Any, table_name: str
) -> None:
    pauses: list[int] = []
    first = on_shard("shardId-00000001700000000000-aaaa0006", [enroll(enrolled(n)) for n in range(3)])
    ledger = DynamoLedger(Throttled(ddb, 2), table_name, pause=pauses.append)
    assert ledger.write(first) == 3 and pauses == [1, 2]
    stuck = DynamoLedger(Throttled(ddb, 100), table_name, max_attempts=3, pause=lambda _: None)
    later = on_shard(
        "shardId-00000001700000000000-aaaa0006", [enroll(enrolled(n)) for n in range(3, 6)], 5000
    )
    assert stuck.write(later) == 2, "the last event was not written: handed back from it"
    assert events(ddb, table_name, later[2].pass_) == []
    assert DynamoLedger(ddb, table_name).write(later[2:]) == 1
    assert_counted_once(ddb, table_name, first + later)


def test_a_counter_item_keeps_few_watermarks_and_stays_small(ddb: Any, table_name: str) -> None:
    now = [1_800_000_000.0]
    shards = [f"shardId-00000001800000000000-rot{n:05d}" for n in range(KEPT_LANES + 3)]
    pass_ = enrolled(1)
    for n, shard in enumerate(shards):  # shards rotate: every few hours another one carries the offer
        now[0] += 12 * 3600
        pass_, entry = stamp(pass_, "north")
        assert (
            DynamoLedger(ddb, table_name, clock=lambda: now[0]).write(
                on_shard(shard, [entry], 10**20 * (n + 1))
            )
            == 1
        )
    item = ddb.get_item(
        TableName=table_name,
        Key={"PK": {"S": stats_partition(pass_.offer_id)}, "SK": {"S": next(iter(entry_keys(entry)))}},
    )["Item"]
    marks = [name for name in item if name.startswith(WATERMARK_PREFIX)]
    assert IDLE_SECONDS < 3 * 12 * 3600 and len(shards) > KEPT_LANES
    assert len(marks) <= KEPT_LANES, marks
    size = sum(len(name) + _value_size(value) for name, value in item.items())
    assert size < 1024, size
    day, _ = read_counts(ddb, table_name, pass_.offer_id)
    assert day["stamps"] == len(shards)


def entry_keys(entry: LedgerEntry) -> list[str]:
    from loyalty.adapters.dynamodb.ledger import entry_counts

    return [sort for (_, sort) in entry_counts(entry) if sort.startswith("DAY#")]


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


def test_counts_that_fall_to_zero_are_removed_so_a_members_item_stays_small(
    ddb: Any, table_name: str
) -> None:
    """Each visit moves a member's last day of activity (and day at risk): the counts of the days it left fall to
    zero. A year of such visits left hundreds of zero-valued attributes in a members item, and every update of it
    paid for them. They are removed once ZEROS_KEPT have gathered; the counts read the same (decision 0021l)."""
    members = [enrolled(n) for n in range(6)]
    entries = [enroll(pass_) for pass_ in members]
    for day in range(1, 61):
        on = (date(2026, 11, 23) + timedelta(days=day)).isoformat()
        for n, before in enumerate(members):
            at = f"{on}T09:00:00.000Z"
            after = replace(
                before,
                version=before.version + 1,
                current_stamps=(before.current_stamps + 1) % before.stamps_required,
                last_activity_at=at,
                updated_at=at,
            )
            members[n] = after
            entries.append(
                LedgerEntry(after, ChangeNote("STAMP", "u", "main"), on, tally("STAMP", before, after))
            )
    ledger = DynamoLedger(ddb, table_name)
    # A batch a day, from one of two stream shards in turn (shards rotate): a member's count of the day they
    # left must fall to zero in the item that counted them in, whichever shard carried the move.
    shards = ("shardId-00000001700000000000-cccc0001", "shardId-00000001700000000000-cccc0002")
    for day, first in enumerate(range(0, len(entries), len(members))):
        batch = on_shard(shards[day % 2], entries[first : first + len(members)], first=1000 + 100 * day)
        assert ledger.write(batch) == len(members)
    offer_id = members[0].offer_id
    for item in members_items(ddb, table_name, offer_id).values():
        # Every member's last day (and day at risk) is now one day: what is left of the sixty days they moved
        # through is at most the zeros not yet removed.
        days = [name for name in item if name.startswith(("lastDay=", "riskDay="))]
        assert len(days) < 2 + ZEROS_KEPT, "the days members left are not kept"
    _, counted = read_counts(ddb, table_name, offer_id)
    want: Counter[str] = Counter()
    for entry in entries:
        want.update(entry.counted.members)
    assert +counted == +want
    assert counted["active"] == 6 and counted["lastDay=2027-01-22"] == 6


def test_only_a_lane_new_to_an_item_that_was_there_reads_it_for_pruning(ddb: Any, table_name: str) -> None:
    """The counter updates answer the old values of what they set, not the item: the item is read (to remove
    idle watermarks) only after a write that added a lane to an item written before."""
    shard, other = "shardId-00000001900000000000-same00001", "shardId-00000001900000000000-next00002"
    pass_, first = stamp(enrolled(1))
    ledger = DynamoLedger(ddb, table_name)
    assert ledger.write(on_shard(shard, [first], 10**20)) == 1
    assert ledger.counters.reads == 0, "a new item was read back"
    pass_, again = stamp(pass_)
    assert ledger.write(on_shard(shard, [again], 2 * 10**20)) == 1
    assert ledger.counters.reads == 0, "a lane the item already holds read it back"
    pass_, elsewhere = stamp(pass_)
    assert ledger.write(on_shard(other, [elsewhere], 3 * 10**20)) == 1
    assert ledger.counters.reads == len(entry_keys(elsewhere)), "a lane new to the item did not look at it"
    day, _ = read_counts(ddb, table_name, pass_.offer_id)
    assert day["stamps"] == 3
