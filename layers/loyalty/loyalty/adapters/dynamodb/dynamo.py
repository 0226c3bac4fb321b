"""Plain-Python ↔ DynamoDB attribute values, and reading why a transaction was cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_plain(v) for v in value]
    return value


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A plain dict (None values dropped) as a low-level DynamoDB item."""
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A low-level DynamoDB item as a plain dict (numbers back to int where whole)."""
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def cancellation_codes(error: ClientError) -> list[str]:
    """The per-item reasons of a TransactionCanceledException (`None` where that item was fine)."""
    reasons = error.response.get("CancellationReasons") or []
    return [str(r.get("Code") or "None") for r in reasons]


def is_transaction_cancelled(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "TransactionCanceledException"


def is_condition_failed(error: ClientError) -> bool:
    """A single write refused by its ConditionExpression."""
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


BATCH_GET_LIMIT = 100


def batch_get(
    client: Any, table_name: str, keys: Iterable[dict[str, Any]], projection: str | None = None
) -> list[dict[str, Any]]:
    """The items that exist among `keys` (plain values), strongly consistent, read a hundred keys a
    BatchGetItem and asking again for whatever DynamoDB left unprocessed; plain items, in no particular order."""
    wanted = [to_item(key) for key in keys]
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        request: dict[str, Any] = {"Keys": wanted[start : start + BATCH_GET_LIMIT], "ConsistentRead": True}
        if projection is not None:
            request["ProjectionExpression"] = projection
        while request["Keys"]:
            answer = client.batch_get_item(RequestItems={table_name: request})
            found.extend(from_item(raw) for raw in answer.get("Responses", {}).get(table_name, []))
            request["Keys"] = answer.get("UnprocessedKeys", {}).get(table_name, {}).get("Keys", [])
    return found
