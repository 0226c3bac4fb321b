"""The activity index (GSI1): which active passes have been idle since before a bound, and expiring one.

The index is sparse (only ACTIVE passes carry `GSI1PK`/`GSI1SK`) and write-sharded over `ACTIVE#0..7`, with a
sort key that starts with the month (UTC) of the pass's `lastActivityAt` (so a scan rewrites the entry once a
month, not every time; decision 0021). A Query for `GSI1SK < bound` on each shard therefore reads every pass idle
since before the bound: with a month bound (the weekly schedule) nothing else; with an exact cutoff also those
active in the cutoff's own month (read and kept). The table is never scanned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.keys import ACTIVITY_INDEX, ACTIVITY_SHARDS, activity_partition, pass_key
from loyalty.adapters.dynamodb.pass_items import note_value
from loyalty.adapters.dynamodb.pass_keys import slot_names
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePage, IdlePass
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.expiry import activity_week
from loyalty.domain.passes import PassStatus

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

DEFAULT_PAGE_SIZE = 100
# Who the audit trail names for what the weekly job does.
SYSTEM_ACTOR = "system:expiry"
_MONTH = len("YYYY-MM")
_DAY = len("YYYY-MM-DD")


def idle_pass_of(pass_partition: str, sort_key: str) -> IdlePass:
    """The entry of an index item: the pass from its own key (`PASS#<customerId>#<offerId>`; ids never hold `#`),
    its bucket from `GSI1SK` (`YYYY-MM`). Entries written before the monthly key hold the Monday of the week
    (`YYYY-MM-DD`) or the exact `lastActivityAt`, then the ids; the former names its week, the latter the week it
    falls in."""
    _, customer_id, offer_id = pass_partition.split("#", 2)
    indexed = sort_key.split("#", 1)[0]
    bucket = indexed if len(indexed) in (_MONTH, _DAY) else activity_week(indexed)
    return IdlePass(customer_id=customer_id, offer_id=offer_id, bucket=bucket)


def expiry_request(table_name: str, idle: IdlePass, bound: str, now_iso: str) -> dict[str, Any]:
    """The expiry's one UpdateItem, nothing read first: its condition is the rule (the pass is ACTIVE and its
    last activity sorts below `bound`), judged by DynamoDB on the item as it is when the write lands, so a scan
    that lands first keeps the pass active. The pass leaves the activity index and names the change for the
    ledger (its EXPIRE event and the stats counters follow from the stream); expiry is not a visit, so the last
    activity stays. Tomorrow's key slot is emptied, as every pass write does."""
    _, _, tomorrow = slot_names(now_iso)
    return {
        "TableName": table_name,
        "Key": to_item(pass_key(idle.customer_id, idle.offer_id)),
        "UpdateExpression": "SET #status = :expired, expiredAt = :now, updatedAt = :now,"
        " version = version + :one, chg = :chg, #tomorrow = :empty REMOVE GSI1PK, GSI1SK",
        "ConditionExpression": "attribute_exists(PK) AND #status = :active AND lastActivityAt < :bound",
        "ExpressionAttributeNames": {"#status": "status", "#tomorrow": tomorrow},
        "ExpressionAttributeValues": to_item(
            {
                ":expired": PassStatus.EXPIRED.value,
                ":active": PassStatus.ACTIVE.value,
                ":now": now_iso,
                ":one": 1,
                ":chg": note_value(ChangeNote("EXPIRE", SYSTEM_ACTOR)),
                ":empty": {},
                ":bound": bound,
            }
        ),
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }


def refusal_outcome(old: Mapping[str, Any] | None) -> ExpiryOutcome:
    """Why the expiry's condition failed, from the pass as it stood (None: no pass)."""
    if not old or old.get("status") != PassStatus.ACTIVE.value:
        return ExpiryOutcome.NOT_ACTIVE
    return ExpiryOutcome.RECENT_ACTIVITY


class ActivityIndex:
    """Reads idle passes from GSI1 and expires them, one version-conditional write each."""

    shards = ACTIVITY_SHARDS

    def __init__(self, client: DynamoDBClient, table_name: str, page_size: int = DEFAULT_PAGE_SIZE) -> None:
        self._client = client
        self._table = table_name
        self._page_size = page_size
        self._passes = DynamoPassStore(client, table_name)

    def idle_page(self, shard: int, bound: str, resume_after: Mapping[str, Any] | None = None) -> IdlePage:
        """One page of a shard's candidates below `bound`, oldest month first.

        `GSI1SK` is `<YYYY-MM>`. Against a month bound (`2026-08`) exactly the passes last active before that month
        sort below it (`2026-07` < `2026-08`, and `2026-08` is not below itself). Against an exact cutoff
        (`2026-08-24T02:00:00.000Z`) a pass idle since before it has its month on or before the cutoff's, which
        sorts below the cutoff (a prefix sorts first): it is always among the candidates; so is a pass
        active later in the cutoff's month, which `expire` keeps (RECENT_ACTIVITY). Entries from before the
        monthly key (`<Monday>#...`, `<lastActivityAt>#...`) sort below either bound whenever they may be idle.
        """
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": ACTIVITY_INDEX,
            "KeyConditionExpression": "GSI1PK = :shard AND GSI1SK < :cutoff",
            "ExpressionAttributeValues": {
                ":shard": {"S": activity_partition(shard)},
                ":cutoff": {"S": bound},
            },
            "ProjectionExpression": "PK, GSI1SK",
            "Limit": self._page_size,
        }
        if resume_after:
            request["ExclusiveStartKey"] = dict(resume_after)
        answer = self._client.query(**request)
        passes = [idle_pass_of(item["PK"]["S"], item["GSI1SK"]["S"]) for item in answer.get("Items", [])]
        return IdlePage(
            passes=passes,
            resume_after=answer.get("LastEvaluatedKey"),
            items_read=int(answer.get("ScannedCount", len(passes))),
        )

    def judge(self, idle: IdlePass, bound: str) -> ExpiryOutcome:
        """What `expire` would do to the pass read now, writing nothing (a dry run)."""
        pass_ = self._passes.snapshot(pass_key=(idle.customer_id, idle.offer_id)).pass_
        if pass_ is None or pass_.status is not PassStatus.ACTIVE:
            return ExpiryOutcome.NOT_ACTIVE
        if pass_.last_activity_at >= bound:
            return ExpiryOutcome.RECENT_ACTIVITY
        return ExpiryOutcome.EXPIRED

    def expire(self, idle: IdlePass, bound: str, now_iso: str) -> ExpiryOutcome:
        """Expire the pass if, in the table and at this instant, it is ACTIVE and idle since before `bound`: one
        conditional write (`expiry_request`), no read and no retry. A scan racing it either lands first (the
        condition sees its activity: the pass stays) or after (it meets an expired pass: 410)."""
        try:
            self._client.update_item(**expiry_request(self._table, idle, bound, now_iso))
        except ClientError as error:
            if not condition_failed(error):
                raise
            old: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            return refusal_outcome(from_item(old) if old else None)
        return ExpiryOutcome.EXPIRED
