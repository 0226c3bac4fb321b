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
    return {k: _from_value(v) for k, v in item.items()}


def _from_value(value: Any) -> Any:
    """One attribute value, as `_plain(_deserializer.deserialize(value))` reads it, without building a Decimal for
    every number: the common kinds read directly (a stream image has a few dozen values, the ledger reads two
    images a record), the rest (sets, binary) through boto3's deserializer."""
    if len(value) == 1:
        kind, raw = next(iter(value.items()))
        if kind == "S" or kind == "BOOL":
            return raw
        if kind == "N":
            return _number(raw)
        if kind == "M":
            return {k: _from_value(v) for k, v in raw.items()}
        if kind == "L":
            return [_from_value(v) for v in raw]
        if kind == "NULL":
            return None
    return _plain(_deserializer.deserialize(value))


def _number(text: str) -> int | float:
    if text.isdecimal() or (text[:1] == "-" and text[1:].isdecimal()):
        return int(text)
    return _plain(Decimal(text))  # type: ignore[no-any-return]


def condition_failed(error: ClientError, *, or_conflict: bool = False) -> bool:
    """Whether DynamoDB refused a write because a condition did not hold: a single write's
    ConditionalCheckFailedException, or a transaction cancelled because one of its items' conditions failed.

    The one way storage tells "the table is not as this write assumed" from a real failure (throttling, a
    malformed request), which must propagate. With `or_conflict`, a transaction that collided with another one
    in flight on the same items counts as refused too: for a write based on a read, both mean "read again"."""
    code = error.response.get("Error", {}).get("Code")
    if code == "ConditionalCheckFailedException":
        return True
    if code == "TransactionConflictException":
        return or_conflict
    if code != "TransactionCanceledException":
        return False
    refusals = (
        {"ConditionalCheckFailed", "TransactionConflict"} if or_conflict else {"ConditionalCheckFailed"}
    )
    # One reason per item of the transaction, in order; `None` where that item was fine.
    return any(reason.get("Code") in refusals for reason in error.response.get("CancellationReasons") or [])


def query_all(client: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item a Query finds, page after page (for the short lists a business or a customer holds)."""
    items: list[dict[str, Any]] = []
    request = dict(request)
    while True:
        answer = client.query(**request)
        items.extend(from_item(item) for item in answer.get("Items", []))
        if "LastEvaluatedKey" not in answer:
            return items
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


BATCH_GET_LIMIT = 100


def batch_get(
    client: Any,
    table_name: str,
    keys: Iterable[dict[str, Any]],
    projection: str | None = None,
    *,
    consistent: bool = True,
) -> list[dict[str, Any]]:
    """The items that exist among `keys` (plain values), strongly consistent unless told (half the read units), read
    a hundred keys a BatchGetItem and asking again for whatever DynamoDB left unprocessed; plain items, in no
    particular order."""
    wanted = [to_item(key) for key in keys]
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), BATCH_GET_LIMIT):
        request: dict[str, Any] = {
            "Keys": wanted[start : start + BATCH_GET_LIMIT],
            "ConsistentRead": consistent,
        }
        if projection is not None:
            request["ProjectionExpression"] = projection
        while request["Keys"]:
            answer = client.batch_get_item(RequestItems={table_name: request})
            found.extend(from_item(raw) for raw in answer.get("Responses", {}).get(table_name, []))
            request["Keys"] = answer.get("UnprocessedKeys", {}).get(table_name, {}).get("Keys", [])
    return found
