"""An offer's members in the single table: GSI4 (`MEMBERS#<offerId>` / `<memberSince>#<customerId>`) lists them
most recently enrolled first and projects only `status` and `rewardsClaimed` (so a stamp writes nothing to it, and
the status filter runs in the index); the page's passes and the offer are then read in one BatchGetItem. A first
page is therefore two requests, a later one three (its cursor's signature is checked first); a search (`q`) is one
or two GetItems."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, from_item, to_item
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.ports.customers import MembersRead
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.ids import is_id
from loyalty.domain.member_filters import RewardsRange
from loyalty.domain.offers import Offer
from loyalty.domain.passes import PassStatus


class MemberStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def page(
        self, offer_id: str, *, status: PassStatus | None, limit: int, cursor: str | None
    ) -> MembersRead:
        """Query the index (erased passes never listed), then read the page's passes and the offer at once."""
        partition = keys.members_partition(offer_id)
        condition = "#status <> :erased" + (" AND #status = :status" if status is not None else "")
        values: dict[str, Any] = {":erased": PassStatus.ERASED.value}
        if status is not None:
            values[":status"] = status.value
        request = {
            **members_query(self._table, partition, condition, values),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor is not None:
            request["ExclusiveStartKey"] = self._start_key(offer_id, cursor)
        answer = self._client.query(**request)
        wanted = [keys.pass_key(_customer_id(raw), offer_id) for raw in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        # The pass the next page starts after signs its cursor; it may be one the filter left out.
        last_key = keys.pass_key(_customer_id(last), offer_id) if last else None
        extra = [last_key] if last_key is not None and last_key not in wanted else []
        found = batch_get(self._client, self._table, [keys.offer_key(offer_id), *wanted, *extra])
        by_key = {(item["PK"], item["SK"]): item for item in found}
        offer_item = by_key.get((keys.offer_key(offer_id)["PK"], "OFFER"))
        passes = [pass_from_plain(by_key[(k["PK"], k["SK"])]) for k in wanted if (k["PK"], k["SK"]) in by_key]
        next_cursor = None
        if last and last_key is not None:
            signer = by_key.get((last_key["PK"], last_key["SK"]))
            if signer is not None:
                next_cursor = _encode_cursor(offer_id, str(last["GSI4SK"]["S"]), _token(signer))
        return MembersRead(
            offer=offer_from_item(offer_item) if offer_item else None,
            passes=passes,
            next_cursor=next_cursor,
        )

    def filtered_page(
        self,
        offer_id: str,
        *,
        status: PassStatus | None,
        rewards: Callable[[Offer], tuple[RewardsRange, ...]] | None,
        limit: int,
        cursor: str | None,
    ) -> MembersRead:
        """A full page of filtered members (docs/decisions/0021d): the offer (and the cursor's pass, whose token
        signs it) in one BatchGetItem; then Queries of the index, with the filters in it (GSI4 projects `status` and
        `rewardsClaimed`) and no Limit, so each reads up to 1 MB of small index items (thousands of members) and
        keeps only the matches, until the page is full or the offer's members end; then one BatchGetItem of the
        page's passes. The next page starts after the page's last member (not where the Query stopped)."""
        sort, signature = _read_cursor(cursor) if cursor is not None else (None, None)
        first = [keys.offer_key(offer_id)]
        if sort is not None:
            first.append(keys.pass_key(sort.rsplit("#", 1)[1], offer_id))
        head = {item["SK"]: item for item in batch_get(self._client, self._table, first)}
        if "OFFER" not in head:
            return MembersRead(offer=None, passes=[], next_cursor=None)
        offer = offer_from_item(head["OFFER"])
        if sort is not None:
            token = head.get("PASS", {}).get("authToken")
            if not isinstance(token, str) or not hmac.compare_digest(
                str(signature), _signature(token, offer_id, sort)
            ):
                raise _bad_cursor()
        ranges = rewards(offer) if rewards is not None else None
        if ranges == ():
            return MembersRead(offer=offer, passes=[], next_cursor=None)
        condition, values = _filter(status, ranges)
        partition = keys.members_partition(offer_id)
        request = {**members_query(self._table, partition, condition, values), "ScanIndexForward": False}
        if sort is not None:
            request["ExclusiveStartKey"] = to_item(
                {**keys.pass_key(sort.rsplit("#", 1)[1], offer_id), "GSI4PK": partition, "GSI4SK": sort}
            )
        matches: list[dict[str, Any]] = []
        more = True
        while len(matches) <= limit:
            answer = self._client.query(**request)
            matches.extend(answer.get("Items", []))
            last = answer.get("LastEvaluatedKey")
            if last is None:
                more = False
                break
            request["ExclusiveStartKey"] = last
        more = more or len(matches) > limit
        page = matches[:limit]
        wanted = [keys.pass_key(_customer_id(raw), offer_id) for raw in page]
        by_key = {(item["PK"], item["SK"]): item for item in batch_get(self._client, self._table, wanted)}
        passes = [pass_from_plain(by_key[(k["PK"], k["SK"])]) for k in wanted if (k["PK"], k["SK"]) in by_key]
        next_cursor = None
        if more and page:
            signer = by_key.get((wanted[-1]["PK"], wanted[-1]["SK"]))
            if signer is not None:
                next_cursor = _encode_cursor(offer_id, str(page[-1]["GSI4SK"]["S"]), _token(signer))
        return MembersRead(offer=offer, passes=passes, next_cursor=next_cursor)

    def _start_key(self, offer_id: str, cursor: str) -> dict[str, Any]:
        """The cursor carries only the position inside this offer's members; the partition comes from the route,
        so an edited cursor cannot reach another offer's members. It is signed (HMAC-SHA256) with the secret
        web-service token of the pass it names, which only the table knows: an edited or forged cursor is 400."""
        sort, signature = _read_cursor(cursor)
        customer_id = sort.rsplit("#", 1)[1]
        found = self._client.get_item(
            TableName=self._table,
            Key=to_item(keys.pass_key(customer_id, offer_id)),
            ProjectionExpression="authToken",
        ).get("Item")
        token = from_item(found).get("authToken") if found else None
        if not isinstance(token, str) or not hmac.compare_digest(
            signature, _signature(token, offer_id, sort)
        ):
            raise _bad_cursor()
        return to_item(
            {
                **keys.pass_key(customer_id, offer_id),
                "GSI4PK": keys.members_partition(offer_id),
                "GSI4SK": sort,
            }
        )

    def one(self, offer_id: str, business_id: str, q: str) -> MembersRead:
        """The member a search names: a customer id (one read with the offer) or an exact email (the customer
        record by its normalised email first)."""
        customer_id: str | None = q if is_id(q, "cus") else None
        if customer_id is None:
            found = self._client.get_item(
                TableName=self._table, Key=to_item(keys.customer_key(business_id, q)), ConsistentRead=True
            ).get("Item")
            customer_id = from_item(found)["customerId"] if found else None
        wanted = [keys.offer_key(offer_id)]
        if customer_id is not None:
            wanted.append(keys.pass_key(customer_id, offer_id))
        items = batch_get(self._client, self._table, wanted)
        offer_item = next((i for i in items if i["SK"] == "OFFER"), None)
        passes = [pass_from_plain(i) for i in items if i["SK"] == "PASS"]
        return MembersRead(
            offer=offer_from_item(offer_item) if offer_item else None,
            passes=[p for p in passes if p.status is not PassStatus.ERASED],
            next_cursor=None,
        )


def _filter(status: PassStatus | None, ranges: tuple[RewardsRange, ...] | None) -> tuple[str, dict[str, Any]]:
    """The index filter: never an erased pass; the status asked; rewards claimed in one of the ranges."""
    condition = "#status <> :erased"
    values: dict[str, Any] = {":erased": PassStatus.ERASED.value}
    if status is not None:
        condition += " AND #status = :status"
        values[":status"] = status.value
    if ranges:
        condition += " AND " + rewards_condition(ranges, values)
    return condition, values


def rewards_condition(ranges: Sequence[RewardsRange], values: dict[str, Any]) -> str:
    """A filter keeping the passes whose rewards claimed fall in one of the ranges (their bounds added to
    `values`); with no range, one no pass meets."""
    if not ranges:
        values[":none"] = 0
        return "rewardsClaimed < :none"
    parts = []
    for n, span in enumerate(ranges):
        values[f":low{n}"] = span.low
        if span.high is None:
            parts.append(f"rewardsClaimed >= :low{n}")
        else:
            values[f":high{n}"] = span.high
            parts.append(f"rewardsClaimed BETWEEN :low{n} AND :high{n}")
    return "(" + " OR ".join(parts) + ")"


def members_query(table: str, partition: str, condition: str, values: dict[str, Any]) -> dict[str, Any]:
    """A Query of an offer's members index (`partition`), filtered by `condition` on `values` (`#status` names
    the pass's status)."""
    return {
        "TableName": table,
        "IndexName": keys.MEMBERS_INDEX,
        "KeyConditionExpression": "GSI4PK = :pk",
        "FilterExpression": condition,
        "ExpressionAttributeNames": {"#status": "status"},
        "ExpressionAttributeValues": to_item({":pk": partition, **values}),
    }


def _customer_id(index_item: dict[str, Any]) -> str:
    """From a GSI4 sort key, `<memberSince>#<customerId>`."""
    return str(index_item["GSI4SK"]["S"].rsplit("#", 1)[1])


def _token(item: dict[str, Any]) -> str:
    return str(item.get("authToken") or "")


def _signature(token: str, offer_id: str, sort: str) -> str:
    message = f"members\n{offer_id}\n{sort}".encode()
    digest = hmac.new(token.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _encode_cursor(offer_id: str, sort: str, token: str) -> str:
    position = base64.urlsafe_b64encode(json.dumps({"sk": sort}, separators=(",", ":")).encode())
    return position.decode().rstrip("=") + "." + _signature(token, offer_id, sort)


def _read_cursor(cursor: str) -> tuple[str, str]:
    try:
        position, signature = cursor.split(".", 1)
        sort = json.loads(base64.urlsafe_b64decode(position + "=" * (-len(position) % 4)))["sk"]
        _, customer_id = sort.rsplit("#", 1)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise _bad_cursor() from None
    if not is_id(customer_id, "cus"):
        raise _bad_cursor()
    return str(sort), signature


def _bad_cursor() -> InvalidCursor:
    return InvalidCursor()
