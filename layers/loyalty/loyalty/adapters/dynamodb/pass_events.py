"""Reads of a pass's audit events (written by the ledger, one per version)."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    from_item,
    to_item,
)
from loyalty.domain.pass_results import HistoryEvent


def event_sort(version: int) -> str:
    """The sort key of the audit event of a pass's `version` (written by the ledger, one per version)."""
    return f"EVENT#v{version:010d}"


def event_page(
    client: Any,
    table_name: str,
    customer_id: str,
    offer_id: str,
    *,
    limit: int,
    after_sort: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a pass's audit events, newest first (one Query), and the sort key to continue after."""
    request: dict[str, Any] = {
        "TableName": table_name,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :events)",
        "ExpressionAttributeValues": {
            ":pk": {"S": keys.pass_partition(customer_id, offer_id)},
            ":events": {"S": "EVENT#"},
        },
        "ScanIndexForward": False,
        "Limit": limit,
    }
    if after_sort is not None:
        request["ExclusiveStartKey"] = {
            "PK": {"S": keys.pass_partition(customer_id, offer_id)},
            "SK": {"S": after_sort},
        }
    answer = client.query(**request)
    last = answer.get("LastEvaluatedKey")
    return [from_item(item) for item in answer.get("Items", [])], last["SK"]["S"] if last else None


def event_at_version(
    client: Any, table_name: str, customer_id: str, offer_id: str, version: int
) -> dict[str, Any] | None:
    """The audit event of a pass's `version` (one consistent GetItem), None when the ledger has not written it."""
    found = client.get_item(
        TableName=table_name,
        Key=to_item({"PK": keys.pass_partition(customer_id, offer_id), "SK": event_sort(version)}),
        ConsistentRead=True,
    ).get("Item")
    return from_item(found) if found else None


def history_event(item: dict[str, Any]) -> HistoryEvent:
    """A stored audit event as the pass's history shows it."""
    return HistoryEvent(
        event_id=item["eventId"],
        kind=item["kind"],
        at=item["at"],
        actor=item.get("actor"),
        branch_id=item.get("branchId"),
        reason=item.get("reason"),
        current_stamps=int(item["currentStamps"]),
        rewards_claimed=int(item["rewardsClaimed"]),
        lifetime_stamps=int(item["lifetimeStamps"]),
    )
