"""The activity index (GSI1): which active passes have been idle since before a cutoff, and expiring one.

The index is sparse (only ACTIVE passes carry `GSI1PK`/`GSI1SK`) and write-sharded over `ACTIVE#0..7`, with a
sort key that starts with the pass's `lastActivityAt`. A Query for `GSI1SK < cutoff` on each shard therefore
reads exactly the passes that are candidates for expiry, and the table itself is never scanned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from loyalty.adapters.dynamodb.keys import ACTIVITY_INDEX, ACTIVITY_SHARDS, activity_partition, pass_key
from loyalty.app.ports import ExpiryOutcome, IdlePage, IdlePass

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

ACTIVE = "ACTIVE"
EXPIRED = "EXPIRED"
DEFAULT_PAGE_SIZE = 100


def idle_pass_of(sort_key: str) -> IdlePass:
    """The entry of a `GSI1SK`, `<lastActivityAt>#<customerId>#<offerId>` (ids and timestamps never hold `#`)."""
    last_activity_at, customer_id, offer_id = sort_key.rsplit("#", 2)
    return IdlePass(customer_id=customer_id, offer_id=offer_id, last_activity_at=last_activity_at)


class ActivityIndex:
    """Reads idle passes from GSI1 and expires them, one conditional write each."""

    shards = ACTIVITY_SHARDS

    def __init__(self, client: DynamoDBClient, table_name: str, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self._client = client
        self._table = table_name
        self._page_size = page_size

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

        The condition is evaluated on the pass item itself, not on the index entry that led here, so a scan
        landing between the index read and this write wins. The pass leaves the activity index in this write.
        """
        client = self._client
        try:
            client.update_item(
                TableName=self._table,
                Key={name: {"S": value} for name, value in pass_key(idle.customer_id, idle.offer_id).items()},
                ConditionExpression="#status = :active AND lastActivityAt < :cutoff",
                UpdateExpression=(
                    "SET #status = :expired, expiredAt = :now, updatedAt = :now, #version = #version + :one "
                    "REMOVE GSI1PK, GSI1SK"
                ),
                ExpressionAttributeNames={"#status": "status", "#version": "version"},
                ExpressionAttributeValues={
                    ":active": {"S": ACTIVE},
                    ":expired": {"S": EXPIRED},
                    ":cutoff": {"S": cutoff_iso},
                    ":now": {"S": now_iso},
                    ":one": {"N": "1"},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except client.exceptions.ConditionalCheckFailedException as refused:
            current = cast("Mapping[str, Any]", refused.response.get("Item") or {})
            if current.get("status") == {"S": ACTIVE}:
                return ExpiryOutcome.RECENT_ACTIVITY
            return ExpiryOutcome.NOT_ACTIVE
        return ExpiryOutcome.EXPIRED
