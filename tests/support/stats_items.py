"""An offer's members counter items as stored (raw attribute values), for tests that look at the items themselves."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb.stats import stats_partition


def members_items(ddb: Any, table: str, offer_id: str) -> dict[str, dict[str, Any]]:
    """The offer's `MEMBERS#…` items by sort key."""
    found = ddb.query(
        TableName=table,
        KeyConditionExpression="PK = :p AND begins_with(SK, :m)",
        ExpressionAttributeValues={":p": {"S": stats_partition(offer_id)}, ":m": {"S": "MEMBERS#"}},
    )["Items"]
    return {item["SK"]["S"]: item for item in found}
