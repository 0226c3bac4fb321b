"""The activity index (GSI1): which active passes have been idle since before a cutoff, and expiring one.

The index is sparse (only ACTIVE passes carry `GSI1PK`/`GSI1SK`) and write-sharded over `ACTIVE#0..7`, with a
sort key that starts with the pass's `lastActivityAt`. A Query for `GSI1SK < cutoff` on each shard therefore
reads exactly the passes that are candidates for expiry, and the table itself is never scanned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from loyalty.adapters.dynamodb.keys import ACTIVITY_INDEX, ACTIVITY_SHARDS, activity_partition
from loyalty.adapters.dynamodb.passes import PassStore
from loyalty.app.idempotency import StoredAnswer
from loyalty.app.ports import ChangeNote, ExpiryOutcome, IdlePage, IdlePass, PassChange, WriteConflict
from loyalty.app.retries import conflict_backoff
from loyalty.domain import passes as cards
from loyalty.domain.passes import PassStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_PAGE_SIZE = 100
MAX_ATTEMPTS = 20
# Who the audit trail names for what the weekly job does.
SYSTEM_ACTOR = "system:expiry"


def idle_pass_of(sort_key: str) -> IdlePass:
    """The entry of a `GSI1SK`, `<lastActivityAt>#<customerId>#<offerId>` (ids and timestamps never hold `#`)."""
    last_activity_at, customer_id, offer_id = sort_key.rsplit("#", 2)
    return IdlePass(customer_id=customer_id, offer_id=offer_id, last_activity_at=last_activity_at)


class ActivityIndex:
    """Reads idle passes from GSI1 and expires them, one version-conditional transaction each."""

    shards = ACTIVITY_SHARDS

    def __init__(self, client: DynamoDBClient, table_name: str, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self._client = client
        self._table = table_name
        self._page_size = page_size
        self._passes = PassStore(client, table_name)

    def idle_page(
        self, shard: int, cutoff_iso: str, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage:
        """One page of a shard's entries whose last activity is before `cutoff_iso`, oldest first.

        `GSI1SK` is `<lastActivityAt>#<customerId>#<offerId>`: an entry sorts below the bare cutoff string
        exactly when its timestamp is earlier, and one stamped at the cutoff itself sorts above it (kept).
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

    def expire(self, idle: IdlePass, cutoff_iso: str, now_iso: str) -> ExpiryOutcome:
        """Expire the pass if, in the table and at this instant, it is ACTIVE and idle since the cutoff.

        The pass is read and judged itself, not the index entry that led here, and the expiry is one transaction
        conditional on the version read: the pass (leaving the activity index), its EXPIRE event and the stats
        counters together. A scan landing between the read and the write moves the version; the pass is then
        read and judged again, and stays active."""
        for attempt in range(MAX_ATTEMPTS):
            snap = self._passes.snapshot(pass_key=(idle.customer_id, idle.offer_id))
            card = snap.card
            if card is None or card.status is not PassStatus.ACTIVE:
                return ExpiryOutcome.NOT_ACTIVE
            if card.last_activity_at >= cutoff_iso:
                return ExpiryOutcome.RECENT_ACTIVITY
            expired = cards.expire(card, now_iso)
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
