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
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, from_item, to_item
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.adapters.dynamodb.stats import STATS_SHARDS, stats_partition
from loyalty.app.ports.customers import MembersRead
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.ids import is_id
from loyalty.domain.member_filters import RewardsRange
from loyalty.domain.member_share import filter_share, items_to_read, next_items_to_read
from loyalty.domain.offers import Offer
from loyalty.domain.passes import PassStatus

# Queries of the index a filtered page makes at most: its requests stay bounded (a BatchGetItem, these, a
# BatchGetItem) whatever the offer's size; a page the Queries could not fill is returned short, with its cursor.
MAX_QUERIES = 2


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
        """A page of filtered members (docs/decisions/0021d, 0021h): the offer, the cursor's pass (whose token signs
        it) and the offer's members counts in one BatchGetItem; then Queries of the index with the filters in it
        (GSI4 projects `status` and `rewardsClaimed`), each with a `Limit` sized by the share of members the filter
        keeps (from the counts, then from what the page's Queries saw), at most MAX_QUERIES of them; then one
        BatchGetItem of the page's passes. The page is full unless the members end or the Queries ran out: then
        the next cursor starts where the last one stopped, so nothing is skipped."""
        sort, signature = _read_cursor(cursor) if cursor is not None else (None, None)
        first = [keys.offer_key(offer_id), *_members_counts_keys(offer_id)]
        if sort is not None:
            first.append(keys.pass_key(sort.rsplit("#", 1)[1], offer_id))
        head = batch_get(self._client, self._table, first)
        by_sort = {item["SK"]: item for item in head if item["SK"] in {"OFFER", "PASS"}}
        if "OFFER" not in by_sort:
            return MembersRead(offer=None, passes=[], next_cursor=None)
        offer = offer_from_item(by_sort["OFFER"])
        if sort is not None:
            token = by_sort.get("PASS", {}).get("authToken")
            if not isinstance(token, str) or not hmac.compare_digest(
                str(signature), _signature(token, offer_id, sort)
            ):
                raise _bad_cursor()
        ranges = rewards(offer) if rewards is not None else None
        if ranges == ():
            return MembersRead(offer=offer, passes=[], next_cursor=None)
        counts = _members_counts(head)
        condition, values = _filter(status, ranges)
        partition = keys.members_partition(offer_id)
        request = {**members_query(self._table, partition, condition, values), "ScanIndexForward": False}
        if sort is not None:
            request["ExclusiveStartKey"] = to_item(
                {**keys.pass_key(sort.rsplit("#", 1)[1], offer_id), "GSI4PK": partition, "GSI4SK": sort}
            )
        # One more than the page, to know whether another page follows.
        wanted = limit + 1
        listed = counts.get("active", 0) + counts.get("expired", 0)
        items = items_to_read(wanted, filter_share(counts, status, ranges), listed)
        matches: list[dict[str, Any]] = []
        scanned = 0
        stopped_at: dict[str, Any] | None = None
        for _ in range(MAX_QUERIES):
            if items is not None:
                request["Limit"] = items
            else:
                request.pop("Limit", None)
            answer = self._client.query(**request)
            matches.extend(answer.get("Items", []))
            scanned += int(answer.get("ScannedCount", 0))
            stopped_at = answer.get("LastEvaluatedKey")
            if stopped_at is None or len(matches) >= wanted:
                break
            request["ExclusiveStartKey"] = stopped_at
            items = next_items_to_read(wanted - len(matches), len(matches), scanned)
        page = matches[:limit]
        pass_keys = [keys.pass_key(_customer_id(raw), offer_id) for raw in page]
        # Where the next page starts: after the page's last member when more matches were seen; after the last
        # item read when the Queries ran out first (that pass, maybe one the filter left out, signs the cursor).
        resume: tuple[dict[str, str], str] | None = None
        if len(matches) > limit and page:
            resume = (pass_keys[-1], str(page[-1]["GSI4SK"]["S"]))
        elif stopped_at is not None:
            resume = (keys.pass_key(_customer_id(stopped_at), offer_id), str(stopped_at["GSI4SK"]["S"]))
        wanted_keys = pass_keys + ([resume[0]] if resume is not None and resume[0] not in pass_keys else [])
        # Eventually consistent, as the index that named them is: half the read units of the page's passes.
        found = batch_get(self._client, self._table, wanted_keys, consistent=False)
        by_key = {(item["PK"], item["SK"]): item for item in found}
        passes = [
            pass_from_plain(by_key[(k["PK"], k["SK"])]) for k in pass_keys if (k["PK"], k["SK"]) in by_key
        ]
        next_cursor = None
        if resume is not None:
            signer = by_key.get((resume[0]["PK"], resume[0]["SK"]))
            if signer is not None:
                next_cursor = _encode_cursor(offer_id, resume[1], _token(signer))
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


def _members_counts_keys(offer_id: str) -> list[dict[str, str]]:
    """The offer's members counts, one item a stats shard (adapters/dynamodb/stats.py)."""
    return [{"PK": stats_partition(offer_id), "SK": f"MEMBERS#{shard}"} for shard in range(STATS_SHARDS)]


def _members_counts(items: list[dict[str, Any]]) -> dict[str, int]:
    """The members counts of the stats shards among `items`, added up."""
    counts: Counter[str] = Counter()
    for item in items:
        if str(item.get("PK", "")).startswith("STATS#"):
            counts.update({name: int(n) for name, n in item.items() if isinstance(n, int)})
    return dict(counts)


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
