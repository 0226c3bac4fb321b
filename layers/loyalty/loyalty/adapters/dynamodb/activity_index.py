"""The activity index (GSI1): which active passes have been idle since before a cutoff, and expiring one.

The index is sparse (only ACTIVE passes carry `GSI1PK`/`GSI1SK`) and write-sharded over `ACTIVE#0..7`, with a
sort key that starts with the Monday of the week of the pass's `lastActivityAt` (so a scan rewrites the entry
once a week, not every time). A Query for `GSI1SK < cutoff` on each shard therefore reads every pass idle since
before the cutoff, plus those active in the cutoff's own week (read and kept), and the table is never scanned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from loyalty.adapters.dynamodb.keys import ACTIVITY_INDEX, ACTIVITY_SHARDS, activity_partition
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import StoredAnswer
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePage, IdlePass
from loyalty.app.ports.passes import ChangeNote, PassChange, WriteConflict
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.expiry import activity_week
from loyalty.domain.passes import PassStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_PAGE_SIZE = 100
MAX_ATTEMPTS = 20
# Who the audit trail names for what the weekly job does.
SYSTEM_ACTOR = "system:expiry"


def idle_pass_of(sort_key: str) -> IdlePass:
    """The entry of a `GSI1SK`, `<Monday of the week>#<customerId>#<offerId>` (ids and dates never hold `#`); an
    entry written before the weekly key holds the exact `lastActivityAt` there, and names its week all the same."""
    indexed, customer_id, offer_id = sort_key.rsplit("#", 2)
    week = indexed if len(indexed) == len("YYYY-MM-DD") else activity_week(indexed)
    return IdlePass(customer_id=customer_id, offer_id=offer_id, active_week=week)


class ActivityIndex:
    """Reads idle passes from GSI1 and expires them, one version-conditional write each."""

    shards = ACTIVITY_SHARDS

    def __init__(self, client: DynamoDBClient, table_name: str, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self._client = client
        self._table = table_name
        self._page_size = page_size
        self._passes = DynamoPassStore(client, table_name)

    def idle_page(
        self, shard: int, cutoff_iso: str, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage:
        """One page of a shard's candidates for `cutoff_iso`, oldest week first.

        `GSI1SK` is `<YYYY-MM-DD of the week's Monday>#<customerId>#<offerId>`. A pass idle since before the
        cutoff has its week's Monday on or before the cutoff's day, and `<that day>#...` sorts below the bare
        cutoff `<that day>T...` (`'#'` < `'T'`): it is always among the candidates. So is a pass active later in
        the cutoff's week; `expire` reads it and keeps it (RECENT_ACTIVITY). Entries of weeks after the cutoff's
        are never read. A legacy entry (`<lastActivityAt>#...`) sorts below the cutoff exactly when it is idle.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": ACTIVITY_INDEX,
            "KeyConditionExpression": "GSI1PK = :shard AND GSI1SK < :cutoff",
            "ExpressionAttributeValues": {
                ":shard": {"S": activity_partition(shard)},
                ":cutoff": {"S": cutoff_iso},
            },
            "ProjectionExpression": "GSI1SK",
            "Limit": self._page_size,
        }
        if resume_after:
            request["ExclusiveStartKey"] = dict(resume_after)
        answer = self._client.query(**request)
        passes = [idle_pass_of(item["GSI1SK"]["S"]) for item in answer.get("Items", [])]
        return IdlePage(
            passes=passes,
            resume_after=answer.get("LastEvaluatedKey"),
            items_read=int(answer.get("ScannedCount", len(passes))),
        )

    def judge(self, idle: IdlePass, cutoff_iso: str) -> ExpiryOutcome:
        """What `expire` would do to the pass read now, writing nothing (a dry run: the index alone cannot tell
        a pass active in the cutoff's week before the cutoff from one active after it)."""
        card = self._passes.snapshot(pass_key=(idle.customer_id, idle.offer_id)).card
        if card is None or card.status is not PassStatus.ACTIVE:
            return ExpiryOutcome.NOT_ACTIVE
        if card.last_activity_at >= cutoff_iso:
            return ExpiryOutcome.RECENT_ACTIVITY
        return ExpiryOutcome.EXPIRED

    def expire(self, idle: IdlePass, cutoff_iso: str, now_iso: str) -> ExpiryOutcome:
        """Expire the pass if, in the table and at this instant, it is ACTIVE and idle since the cutoff.

        The pass is read and judged itself, not the index entry that led here, and the expiry is one write
        conditional on the version read: the pass leaves the activity index, and names the change for the ledger,
        which writes its EXPIRE event and the stats counters from the stream. A scan landing between the read and
        the write moves the version; the pass is then read and judged again, and stays active."""
        for attempt in range(MAX_ATTEMPTS):
            snap = self._passes.snapshot(pass_key=(idle.customer_id, idle.offer_id))
            card = snap.card
            if card is None or card.status is not PassStatus.ACTIVE:
                return ExpiryOutcome.NOT_ACTIVE
            if card.last_activity_at >= cutoff_iso:
                return ExpiryOutcome.RECENT_ACTIVITY
            expired = pass_rules.expire(card, now_iso)
            change = PassChange(
                card=expired,
                expected_version=card.version,
                note=ChangeNote("EXPIRE", SYSTEM_ACTOR),
                answer=StoredAnswer(200, {}),
            )
            try:
                self._passes.commit(change)
            except WriteConflict:
                conflict_backoff(attempt)
                continue
            return ExpiryOutcome.EXPIRED
        return ExpiryOutcome.RECENT_ACTIVITY
