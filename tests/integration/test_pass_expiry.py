"""Inactivity expiry against DynamoDB Local: the activity index, the conditional write, reruns and races."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.keys import (
    ACTIVITY_INDEX,
    ACTIVITY_SHARDS,
    activity_index_keys,
    activity_partition,
    pass_key,
)
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.passes.commands import Actor
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePage
from loyalty.domain.clock import to_iso
from loyalty.domain.expiry import ExpiryCutoff
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.passes import Pass, PassStatus
from tests.support.pass_actions import scan

pytestmark = pytest.mark.integration

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
CUTOFF = ExpiryCutoff(as_of=NOW, days=90)
RUN_AT = NOW + timedelta(seconds=7)


# Passes in any state of activity, written as the pass store writes them.


BUSINESS = "biz_expirytests0000000000"
MANAGER = Actor(sub="manager-1", business_id=BUSINESS, branch_id="branch-1")


def pass_item(
    last_activity: datetime,
    *,
    legacy_key: bool = False,
    member_since: datetime | None = None,
    current_stamps: int = 1,
    stamps_required: int = 5,
    rewards_claimed: int = 0,
) -> dict[str, Any]:
    """An ACTIVE pass whose last activity was `last_activity`, as the pass store writes it."""
    last = to_iso(last_activity)
    since = to_iso(member_since or last_activity)
    lifetime = current_stamps + rewards_claimed * stamps_required
    customer_id = new_id("cus")
    pass_ = Pass(
        customer_id=customer_id,
        offer_id=new_id("off"),
        business_id=BUSINESS,
        pass_serial=new_secret_token(18),
        auth_token=new_secret_token(24),
        status=PassStatus.ACTIVE,
        current_stamps=current_stamps,
        stamps_required=stamps_required,
        rewards_claimed=rewards_claimed,
        lifetime_stamps=lifetime,
        member_since=since,
        last_activity_at=last,
        created_at=since,
        updated_at=last,
        version=1 + lifetime + rewards_claimed,
        email=f"{customer_id}@example.com",
        customer_name="Test Customer",
    )
    item = pass_to_item(pass_)
    if legacy_key:  # as written before the weekly key: the exact moment of the last activity
        item["GSI1SK"] = {"S": f"{last}#{pass_.customer_id}#{pass_.offer_id}"}
    return item


def put_pass(ddb: Any, table: str, last_activity: datetime, **fields: Any) -> tuple[str, str]:
    item = pass_item(last_activity, **fields)
    ddb.put_item(TableName=table, Item=item)
    _, customer_id, offer_id = item["PK"]["S"].split("#", 2)
    return customer_id, offer_id


def get_pass(ddb: Any, table: str, customer_id: str, offer_id: str) -> dict[str, Any]:
    key = {k: {"S": v} for k, v in pass_key(customer_id, offer_id).items()}
    item: dict[str, Any] = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    return item


def record_scan(ddb: Any, table: str, customer_id: str, offer_id: str, at: datetime) -> None:
    """A manager's scan at `at`, through the scanner's own code path."""
    scan(DynamoPassStore(ddb, table), lambda: at, MANAGER, customer_id, offer_id)


def activity_index_entries(ddb: Any, table: str) -> set[tuple[str, str]]:
    """Every (customerId, offerId) the activity index holds, across all shards."""
    found: set[tuple[str, str]] = set()
    for shard in range(ACTIVITY_SHARDS):
        pages = ddb.get_paginator("query").paginate(
            TableName=table,
            IndexName=ACTIVITY_INDEX,
            KeyConditionExpression="GSI1PK = :pk",
            ExpressionAttributeValues={":pk": {"S": activity_partition(shard)}},
        )
        for page in pages:
            for item in page["Items"]:
                _, customer_id, offer_id = item["PK"]["S"].split("#", 2)
                found.add((customer_id, offer_id))
    return found


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def run_expiry(index: Any, **options: Any) -> Any:
    return expire_inactive_passes(index, CUTOFF, clock=lambda: RUN_AT, **options)


def all_items(ddb: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items.extend(page["Items"])
    return sorted(items, key=lambda item: (item["PK"]["S"], item["SK"]["S"]))


def test_a_pass_idle_for_91_days_expires_and_leaves_the_activity_index(ddb: Any, table_name: str) -> None:
    idle = put_pass(ddb, table_name, days_ago(91), current_stamps=3, rewards_claimed=2)
    before = get_pass(ddb, table_name, *idle)

    run = run_expiry(ActivityIndex(ddb, table_name))

    after = get_pass(ddb, table_name, *idle)
    assert after["status"] == {"S": "EXPIRED"}
    assert after["expiredAt"] == after["updatedAt"] == {"S": "2026-11-22T02:00:07.000Z"}
    assert int(after["version"]["N"]) == int(before["version"]["N"]) + 1
    assert "GSI1PK" not in after
    assert "GSI1SK" not in after
    for kept in (
        "currentStamps",
        "rewardsClaimed",
        "lifetimeStamps",
        "memberSince",
        "lastActivityAt",
        "email",
    ):
        assert after[kept] == before[kept]
    assert idle not in activity_index_entries(ddb, table_name)
    assert run.summary()["expired"] == 1
    assert run.finished


def test_a_pass_idle_for_89_days_is_kept(ddb: Any, table_name: str) -> None:
    """The cutoff is Monday 2026-08-24 02:00; 89 days ago is the Tuesday after, in the cutoff's month: the index
    (which keys the month) hands the pass over as a candidate, and the expiry's condition keeps it."""
    recent = put_pass(ddb, table_name, days_ago(89))
    before = get_pass(ddb, table_name, *recent)

    run = run_expiry(ActivityIndex(ddb, table_name))

    assert get_pass(ddb, table_name, *recent) == before
    assert recent in activity_index_entries(ddb, table_name)
    assert (run.expired, run.examined, run.kept_recent_activity) == (0, 1, 1)


def test_a_pass_active_after_the_cutoffs_month_is_never_read(ddb: Any, table_name: str) -> None:
    put_pass(ddb, table_name, days_ago(81))  # 2026-09-02, the month after the cutoff's

    run = run_expiry(ActivityIndex(ddb, table_name))

    assert (run.examined, run.index_items_read) == (0, 0)


def test_the_index_entry_names_the_month_of_the_last_activity(ddb: Any, table_name: str) -> None:
    key = put_pass(ddb, table_name, datetime(2026, 8, 31, 23, 59, tzinfo=UTC))
    item = get_pass(ddb, table_name, *key)
    assert item["GSI1SK"] == {"S": "2026-08"}, "the month alone: the entry carries the pass's own key"


def test_legacy_entries_keyed_by_the_exact_moment_are_still_found(ddb: Any, table_name: str) -> None:
    """Entries written before the weekly key hold the full `lastActivityAt`; until a scan rewrites them they
    sort against the cutoff exactly as before."""
    legacy_idle = put_pass(ddb, table_name, days_ago(91), legacy_key=True)
    # Monday 02:14, just after the cutoff:
    legacy_recent = put_pass(ddb, table_name, days_ago(89.99), legacy_key=True)
    legacy_later = put_pass(ddb, table_name, days_ago(30), legacy_key=True)

    preview = run_expiry(ActivityIndex(ddb, table_name), dry_run=True)
    run = run_expiry(ActivityIndex(ddb, table_name))

    assert (preview.examined, preview.would_expire) == (1, 1)
    assert (run.examined, run.expired) == (1, 1)
    assert get_pass(ddb, table_name, *legacy_idle)["status"] == {"S": "EXPIRED"}
    assert activity_index_entries(ddb, table_name) == {legacy_recent, legacy_later}


def test_a_scan_in_the_same_month_writes_nothing_to_the_activity_index(ddb: Any, table_name: str) -> None:
    """What a scan's UpdateItem costs on GSI1 when it re-sets the entry: nothing within the month (the key is
    unchanged, even across weeks), 2 index write units (delete and put) when the month turned, as DynamoDB Local
    reports them."""
    key = put_pass(ddb, table_name, datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # a Monday

    def scan_at(moment: datetime) -> dict[str, Any]:
        at = to_iso(moment)
        index = activity_index_keys(*key, at)
        answer = ddb.update_item(
            TableName=table_name,
            Key={k: {"S": v} for k, v in pass_key(*key).items()},
            UpdateExpression="SET lastActivityAt = :at, updatedAt = :at, GSI1PK = :pk, GSI1SK = :sk",
            ExpressionAttributeValues={
                ":at": {"S": at},
                ":pk": {"S": index["GSI1PK"]},
                ":sk": {"S": index["GSI1SK"]},
            },
            ReturnConsumedCapacity="INDEXES",
        )
        consumed: dict[str, Any] = answer["ConsumedCapacity"]
        return consumed

    next_week = scan_at(datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # the Monday after, still November
    next_month = scan_at(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))

    assert next_week.get("GlobalSecondaryIndexes", {}).get("GSI1", {}).get("CapacityUnits", 0.0) == 0.0
    assert next_week["CapacityUnits"] == next_week["Table"]["CapacityUnits"]
    assert next_month["GlobalSecondaryIndexes"]["GSI1"]["CapacityUnits"] == 2.0


def test_a_loyal_customer_scanned_last_week_is_kept(ddb: Any, table_name: str) -> None:
    """Two years of completed cards: what counts is the last visit, not the first, nor how many."""
    loyal = put_pass(
        ddb, table_name, days_ago(400), member_since=days_ago(730), current_stamps=4, rewards_claimed=25
    )
    record_scan(ddb, table_name, *loyal, at=days_ago(7))

    run = run_expiry(ActivityIndex(ddb, table_name))

    assert get_pass(ddb, table_name, *loyal)["status"] == {"S": "ACTIVE"}
    assert loyal in activity_index_entries(ddb, table_name)
    assert run.expired == 0


def test_only_the_inactive_passes_among_many_expire(ddb: Any, table_name: str) -> None:
    inactive = {put_pass(ddb, table_name, days_ago(91 + n * 13)) for n in range(12)}
    active = {put_pass(ddb, table_name, days_ago(n * 7.3)) for n in range(12)}

    run = run_expiry(ActivityIndex(ddb, table_name, page_size=2))

    statuses = {key: get_pass(ddb, table_name, *key)["status"]["S"] for key in inactive | active}
    assert {key for key, status in statuses.items() if status == "EXPIRED"} == inactive
    assert activity_index_entries(ddb, table_name) == active
    assert (run.expired, run.examined) == (12, 12)
    assert run.index_items_read == 12, "the run reads the passes it expires and nothing else"


def test_dry_run_changes_nothing(ddb: Any, table_name: str) -> None:
    for days in (91, 120, 300, 10, 89):
        put_pass(ddb, table_name, days_ago(days))
    before = all_items(ddb, table_name)

    run = run_expiry(ActivityIndex(ddb, table_name), dry_run=True)

    assert all_items(ddb, table_name) == before
    assert run.summary()["wouldExpire"] == 3
    assert run.summary()["expired"] == 0


def test_a_second_run_expires_nothing(ddb: Any, table_name: str) -> None:
    for days in (95, 180, 20):
        put_pass(ddb, table_name, days_ago(days))
    first = run_expiry(ActivityIndex(ddb, table_name))
    after_first = all_items(ddb, table_name)

    second = run_expiry(ActivityIndex(ddb, table_name))

    assert first.expired == 2
    assert (second.expired, second.examined, second.index_items_read) == (0, 0, 0)
    assert second.finished
    assert all_items(ddb, table_name) == after_first


class ScanLandsAfterTheIndexRead:
    """The activity index, with a manager's scan landing on a pass right after the job read its index entry."""

    def __init__(self, index: ActivityIndex, ddb: Any, table: str, target: tuple[str, str]) -> None:
        self.index, self.ddb, self.table, self.target = index, ddb, table, target
        self.shards = index.shards
        self.raced = False

    def idle_page(self, shard: int, bound: str, resume_after: Mapping[str, Any] | None = None) -> IdlePage:
        page = self.index.idle_page(shard, bound, resume_after)
        if any((p.customer_id, p.offer_id) == self.target for p in page.passes):
            record_scan(self.ddb, self.table, *self.target, at=NOW)
            self.raced = True
        return page

    def expire(self, *args: Any) -> Any:
        return self.index.expire(*args)


def test_a_scan_racing_the_job_wins_and_the_pass_stays_active(ddb: Any, table_name: str) -> None:
    racing = put_pass(ddb, table_name, days_ago(120), current_stamps=2)
    index = ScanLandsAfterTheIndexRead(ActivityIndex(ddb, table_name), ddb, table_name, racing)

    run = run_expiry(index)

    assert index.raced, "the scan landed between the index read and the expiry write"
    after = get_pass(ddb, table_name, *racing)
    assert after["status"] == {"S": "ACTIVE"}
    assert after["currentStamps"] == {"N": "3"}, "the scan's stamp is kept"
    assert "expiredAt" not in after
    assert racing in activity_index_entries(ddb, table_name)
    assert (run.examined, run.expired, run.kept_recent_activity) == (1, 0, 1)


def test_an_entry_for_a_pass_already_expired_is_counted_not_rewritten(ddb: Any, table_name: str) -> None:
    """Two overlapping runs (or a lagging index) can hand a run a pass that is already expired."""
    twice = put_pass(ddb, table_name, days_ago(150))
    index = ActivityIndex(ddb, table_name)
    (idle,) = [entry for shard in range(index.shards) for entry in index.idle_page(shard, CUTOFF.iso).passes]
    run_expiry(index)
    expired_once = get_pass(ddb, table_name, *twice)

    outcome = index.expire(idle, CUTOFF.iso, "2026-11-22T03:00:00.000Z")

    assert outcome is ExpiryOutcome.NOT_ACTIVE
    assert get_pass(ddb, table_name, *twice) == expired_once


class Countdown:
    def __init__(self, checks: int) -> None:
        self.checks = checks

    def __call__(self) -> int:
        self.checks -= 1
        return 600_000 if self.checks >= 0 else 1_000


def test_a_run_out_of_time_stops_cleanly_and_the_next_run_finishes(ddb: Any, table_name: str) -> None:
    inactive = {put_pass(ddb, table_name, days_ago(100 + n)) for n in range(30)}
    active = {put_pass(ddb, table_name, days_ago(5))}

    first = run_expiry(ActivityIndex(ddb, table_name, page_size=4), remaining_ms=Countdown(15))

    assert not first.finished
    assert 0 < first.expired < 30
    expired_so_far = inactive - activity_index_entries(ddb, table_name)
    assert len(expired_so_far) == first.expired
    assert all(get_pass(ddb, table_name, *key)["status"] == {"S": "EXPIRED"} for key in expired_so_far)

    second = run_expiry(ActivityIndex(ddb, table_name, page_size=4), remaining_ms=Countdown(10_000))

    assert second.finished
    assert first.expired + second.expired == 30
    assert second.index_items_read == 30 - first.expired
    assert activity_index_entries(ddb, table_name) == active


SCHEDULED = ExpiryCutoff(as_of=NOW, days=90, whole_months=True)


class Requests:
    """The DynamoDB operations a client sends, counted as the answers come back."""

    def __init__(self, client: Any) -> None:
        self.seen: dict[str, int] = {}
        self.items_read = 0
        client.meta.events.register("after-call.dynamodb.*", self._count)

    def _count(self, model: Any, parsed: dict[str, Any], **_: Any) -> None:
        self.seen[model.name] = self.seen.get(model.name, 0) + 1
        self.items_read += int(parsed.get("ScannedCount", 0))


def test_the_weekly_schedule_expires_whole_idle_months_writing_without_reading(
    ddb: Any, table_name: str
) -> None:
    """As scheduled (Sunday 2026-11-22 02:00, cutoff Monday 2026-08-24 02:00), the passes last active before
    August expire, each read once from the index and written once, no pass read; those of August wait for the
    run whose cutoff reaches September, and the week between reads nothing."""
    july = {put_pass(ddb, table_name, days_ago(days)) for days in (400, 130, 114)}  # 114: 2026-07-31
    august = {put_pass(ddb, table_name, days_ago(days)) for days in (100, 91, 89)}  # 89: 2026-08-25
    recent = {put_pass(ddb, table_name, days_ago(days)) for days in (30, 1)}
    counted = Requests(ddb)

    run = expire_inactive_passes(ActivityIndex(ddb, table_name), SCHEDULED, clock=lambda: RUN_AT)

    assert (run.expired, run.examined, run.kept_recent_activity) == (3, 3, 0)
    assert counted.items_read == 3
    assert counted.seen.get("UpdateItem") == 3
    assert not {"GetItem", "BatchGetItem", "TransactWriteItems"} & set(counted.seen)
    assert run.summary()["lastActivityBefore"] == "2026-08"
    for key in july:
        assert get_pass(ddb, table_name, *key)["status"] == {"S": "EXPIRED"}
    assert activity_index_entries(ddb, table_name) == august | recent

    quiet = expire_inactive_passes(
        ActivityIndex(ddb, table_name),
        ExpiryCutoff(as_of=NOW + timedelta(days=7), days=90, whole_months=True),
        clock=lambda: RUN_AT,
    )
    assert (quiet.expired, quiet.index_items_read) == (0, 0)

    september = expire_inactive_passes(
        ActivityIndex(ddb, table_name),
        ExpiryCutoff(as_of=NOW + timedelta(days=14), days=90, whole_months=True),
        clock=lambda: RUN_AT,
    )
    assert (september.expired, september.index_items_read) == (3, 3)
    assert activity_index_entries(ddb, table_name) == recent


def test_the_expiry_write_keeps_a_pass_whose_activity_landed_first(ddb: Any, table_name: str) -> None:
    """The index entry is stale (the pass was scanned after it was read): the write's condition sees the scan."""
    stale = put_pass(ddb, table_name, days_ago(120))
    index = ActivityIndex(ddb, table_name)
    (idle,) = [e for shard in range(index.shards) for e in index.idle_page(shard, SCHEDULED.bound).passes]
    record_scan(ddb, table_name, *stale, at=NOW)
    before = get_pass(ddb, table_name, *stale)

    outcome = index.expire(idle, SCHEDULED.bound, to_iso(RUN_AT))

    assert outcome is ExpiryOutcome.RECENT_ACTIVITY
    assert get_pass(ddb, table_name, *stale) == before
