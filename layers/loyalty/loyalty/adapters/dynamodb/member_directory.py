"""Each offer's member directory in the single table: one item per entry (loyalty.domain.member_search), in the
partition `DIRECTORY#<offerId>` under `<kind>#<position>#<customerId>`, carrying the customer id and whether the
pass is active. A read is one Query bounded by the page's size, then one BatchGetItem for the page's passes and
the offer; entries are written by the ledger's stream consumer (BatchWriteItem, deletes then puts)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, to_item
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.ports.customers import MembersRead
from loyalty.app.ports.directory import DirectoryUpdate
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.ids import is_id
from loyalty.domain.member_search import DirectoryEntry, DirectoryRange

BATCH_WRITE_LIMIT = 25
# Sorts after every character a position holds: the end of a prefix's stretch.
_END = "\U0010ffff"


class MemberDirectoryStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # ------------------------------------------------------------------------------------------- writing
    def apply(self, updates: Sequence[DirectoryUpdate]) -> None:
        """Deletes and puts of every update, in order, 25 a BatchWriteItem; an item named twice in one batch
        (a pass written twice) keeps its last write. What DynamoDB leaves unprocessed is sent again."""
        writes: dict[tuple[str, str], dict[str, Any]] = {}
        for update in updates:
            partition = keys.directory_partition(update.offer_id)
            for entry in update.remove:
                sort = _sort(entry, update.customer_id)
                writes.pop((partition, sort), None)
                writes[(partition, sort)] = {"DeleteRequest": {"Key": to_item({"PK": partition, "SK": sort})}}
            for entry in update.put:
                sort = _sort(entry, update.customer_id)
                writes.pop((partition, sort), None)
                item = {
                    "PK": partition,
                    "SK": sort,
                    "entity": "DIRECTORY",
                    "customerId": update.customer_id,
                    "active": update.active,
                }
                writes[(partition, sort)] = {"PutRequest": {"Item": to_item(item)}}
        requests = list(writes.values())
        for start in range(0, len(requests), BATCH_WRITE_LIMIT):
            pending = requests[start : start + BATCH_WRITE_LIMIT]
            while pending:
                answer = self._client.batch_write_item(RequestItems={self._table: pending})
                pending = answer.get("UnprocessedItems", {}).get(self._table, [])

    # ------------------------------------------------------------------------------------------- reading
    def find(self, offer_id: str, stretch: DirectoryRange, *, limit: int, cursor: str | None) -> MembersRead:
        partition = keys.directory_partition(offer_id)
        kind = f"{stretch.kind.value}#"
        values: dict[str, Any] = {":pk": partition}
        if stretch.low is not None or stretch.high is not None:
            values[":low"] = kind + (stretch.low or "")
            values[":high"] = kind + (stretch.high or "") + _END
            condition = "PK = :pk AND SK BETWEEN :low AND :high"
        else:
            values[":prefix"] = kind + stretch.prefix
            condition = "PK = :pk AND begins_with(SK, :prefix)"
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
            "ScanIndexForward": not stretch.descending,
            "Limit": limit,
            "ProjectionExpression": "customerId, SK",
        }
        if stretch.active_only:
            request["FilterExpression"] = "#active = :active"
            request["ExpressionAttributeNames"] = {"#active": "active"}
            request["ExpressionAttributeValues"][":active"] = {"BOOL": True}
        if cursor is not None:
            request["ExclusiveStartKey"] = to_item({"PK": partition, "SK": _position(cursor, kind, stretch)})
        answer = self._client.query(**request)
        customer_ids: list[str] = []
        for raw in answer.get("Items", []):
            customer_id = raw["customerId"]["S"]
            if (
                customer_id not in customer_ids
            ):  # a name and its later word may both start with what was typed
                customer_ids.append(customer_id)
        wanted = [keys.pass_key(customer_id, offer_id) for customer_id in customer_ids]
        found = batch_get(self._client, self._table, [keys.offer_key(offer_id), *wanted])
        by_key = {(item["PK"], item["SK"]): item for item in found}
        offer_item = by_key.get((keys.offer_key(offer_id)["PK"], "OFFER"))
        passes = [pass_from_plain(by_key[(k["PK"], k["SK"])]) for k in wanted if (k["PK"], k["SK"]) in by_key]
        last = answer.get("LastEvaluatedKey")
        return MembersRead(
            offer=offer_from_item(offer_item) if offer_item else None,
            passes=passes,
            next_cursor=_cursor(last["SK"]["S"]) if last else None,
        )


def _sort(entry: DirectoryEntry, customer_id: str) -> str:
    return keys.directory_sort(entry.kind.value, entry.position, customer_id)


def _cursor(sort: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"d": sort}).encode()).decode().rstrip("=")


def _position(cursor: str, kind: str, stretch: DirectoryRange) -> str:
    """The cursor's place, if it is one inside this stretch of this offer's directory (the partition comes from
    the route): anything else is refused, so an edited cursor reaches no other stretch."""
    try:
        sort = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["d"]
        _, customer_id = sort.rsplit("#", 1)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise InvalidCursor() from None
    inside = (
        sort.startswith(kind + stretch.prefix)
        if stretch.low is None and stretch.high is None
        else kind + (stretch.low or "") <= sort <= kind + (stretch.high or "") + _END
    )
    if not isinstance(sort, str) or not inside or not is_id(customer_id, "cus"):
        raise InvalidCursor()
    return sort
