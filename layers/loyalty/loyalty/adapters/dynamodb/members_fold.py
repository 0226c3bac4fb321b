"""The migration of decision 0021l: an offer's members counts spread over four items (`MEMBERS#0` to `#3`, by
customer) folded into one (`MEMBERS#0`), where the ledger adds them since.

Why it matters: a member enrolled under the spread has their counts by day (last day of activity, day at risk) in
their shard's item; their next visit takes them off that day in `MEMBERS#0`. Both items then keep a count that is
not zero (+1 in one, -1 in the other) for every such day, and neither can be removed; folded together they are
zero, and the ledger removes them.

Each shard item is folded in ONE transaction: its counts added to `MEMBERS#0` and the shard item deleted, on
condition that it is still there. A second run finds nothing to fold, and a run stopped anywhere leaves every
shard item either folded whole or untouched: resumable, and nothing counted twice. Run it after the release whose
ledger writes `MEMBERS#0` only is deployed (the earlier ledger would write the shard items again). Watermarks of the
shard items are dropped with them: the ledger writes none of those items again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.ledger_counters import WATERMARK_PREFIX
from loyalty.adapters.dynamodb.stats import MEMBERS_SORT

# DynamoDB's limit on the length of an expression string, 4 KB (developer guide, "Service, account, and table
# quotas in Amazon DynamoDB", Expression parameters); a shard item with more counts than one update can name is
# reported, not folded in part.
MAX_EXPRESSION_BYTES = 4096


@dataclass(frozen=True)
class FoldRun:
    folded: int  # shard items folded into their offer's members item
    left: int  # shard items that could not be folded (too many counts for one update), reported
    start_after: dict[str, Any] | None  # where a run stopped by its limit ends (None: the scan is done)


def fold_update(table_name: str, partition: str, counts: dict[str, int]) -> dict[str, Any]:
    """The update that adds `counts` to the offer's members item."""
    moved = {name: n for name, n in sorted(counts.items()) if n}
    names = {f"#c{n:x}": name for n, name in enumerate(moved)}
    values: dict[str, Any] = {":entity": {"S": "STATS"}}
    values.update({f":v{alias[2:]}": {"N": str(moved[name])} for alias, name in names.items()})
    update: dict[str, Any] = {
        "TableName": table_name,
        "Key": {"PK": {"S": partition}, "SK": {"S": MEMBERS_SORT}},
        "UpdateExpression": "SET entity = :entity",
        "ExpressionAttributeValues": values,
    }
    if names:
        update["UpdateExpression"] += " ADD " + ", ".join(f"{alias} :v{alias[2:]}" for alias in names)
        update["ExpressionAttributeNames"] = names
    return update


def _counts(item: dict[str, Any]) -> dict[str, int]:
    return {
        name: int(value["N"])
        for name, value in item.items()
        if "N" in value and name not in {"PK", "SK"} and not name.startswith(WATERMARK_PREFIX)
    }


def _fold(client: Any, table_name: str, key: dict[str, Any]) -> bool:
    """Fold one shard item; False when it has more counts than one update can name (left as it is)."""
    found = client.get_item(TableName=table_name, Key=key, ConsistentRead=True).get("Item")
    if found is None:
        return True  # folded meanwhile by another run
    update = fold_update(table_name, key["PK"]["S"], _counts(found))
    if len(update["UpdateExpression"].encode()) > MAX_EXPRESSION_BYTES:
        return False
    try:
        client.transact_write_items(
            TransactItems=[
                {"Update": update},
                {
                    "Delete": {
                        "TableName": table_name,
                        "Key": key,
                        "ConditionExpression": "attribute_exists(PK)",
                    }
                },
            ]
        )
    except ClientError as error:
        reasons = error.response.get("CancellationReasons") or []
        if any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons):
            return True  # another run folded it first: its counts are in, once
        raise
    return True


def fold_members_counts(
    client: Any,
    table_name: str,
    *,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
) -> FoldRun:
    """Fold every members shard item (`MEMBERS#1` to `#3`) into its offer's `MEMBERS#0` (at most `limit` of them,
    from `start_after` on)."""
    folded = left = 0
    scan_args: dict[str, Any] = {
        "TableName": table_name,
        "FilterExpression": "entity = :stats AND begins_with(SK, :members) AND SK <> :one",
        "ProjectionExpression": "PK, SK",
        "ExpressionAttributeValues": {
            ":stats": {"S": "STATS"},
            ":members": {"S": "MEMBERS#"},
            ":one": {"S": MEMBERS_SORT},
        },
        "Limit": page_size,
    }
    cursor = start_after
    while True:
        page = client.scan(**scan_args, **({"ExclusiveStartKey": cursor} if cursor else {}))
        for item in page.get("Items", []):
            if limit is not None and folded + left >= limit:
                return FoldRun(folded, left, cursor)
            if _fold(client, table_name, {"PK": item["PK"], "SK": item["SK"]}):
                folded += 1
            else:
                left += 1
            cursor = {"PK": item["PK"], "SK": item["SK"]}
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return FoldRun(folded, left, None)
