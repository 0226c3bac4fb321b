"""Google's saved state for passes whose objects were saved before Google's save/delete callbacks were subscribed
(decision 0025e).

Whether a pass is saved in Google Wallet comes from Google's callbacks (`googleSaved` on the pass's delivery
record, adapters/dynamodb/wallet_delivery.py); an object saved before they were subscribed never had one, so the
offer's `googleSaved` count and the member's `wallet.google.saved` miss it. Google's object says it itself: its
`hasUsers` is set by the platform (adapters/google/users.py).

The step scans the table for pass items (a page at a time, erased ones left out), reads the page's delivery
records (one BatchGetItem), and asks Google only about passes whose record holds neither a callback's event nor an
earlier run's answer. A pass with users is recorded saved as the save callback records it (`googleSaved` true,
`w` + 1, so the ledger moves the offer's counts once, from the stream); one without users, or without an object,
is only marked as asked (`googleCheckedAt`, no `w`: no count moves). Both writes hold only while no callback has
been recorded and no run answered (conditions on `googleEventMillis` and `googleSaved`/`googleCheckedAt`): a save
or a delete Google sent meanwhile is never overwritten, and a second run reads nothing of Google and writes nothing.
The backfill sets no `googleEventMillis`, so any later callback applies over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.wallet_delivery import ENTITY, delivery_key
from loyalty.adapters.http import ServiceUnavailable
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.clock import to_iso, utc_now

# Nothing recorded yet by a callback nor by a run of this step.
_UNANSWERED = (
    "attribute_not_exists(googleEventMillis) AND attribute_not_exists(googleSaved)"
    " AND attribute_not_exists(googleCheckedAt)"
)


@dataclass(frozen=True)
class GoogleSavesRun:
    passes: int  # pass items looked at in this run
    asked: int  # of them, objects read from Google
    saved: int  # recorded saved (Google says the object has users)
    unsaved: int  # marked asked: no users, or no such object
    meanwhile: (
        int  # a callback (or another run) recorded the pass between the read and the write: left as it is
    )
    left: int  # Google did not answer: left to the next run
    start_after: dict[str, Any] | None  # where a run stopped by its limit ends: the next run's start


def backfill_google_saves(
    client: Any,
    table_name: str,
    has_users: Callable[[PassAddress], bool | None],
    *,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
) -> GoogleSavesRun:
    """Record Google's saved state of every pass no callback has told us of (at most `limit` items of the scan,
    from `start_after` on). `has_users` answers None when Google has no object for the pass, and raises
    `ServiceUnavailable` when Google does not answer."""
    tally = {"passes": 0, "asked": 0, "saved": 0, "unsaved": 0, "meanwhile": 0, "left": 0}
    scanned = 0
    cursor = start_after
    while True:
        size = page_size if limit is None else min(page_size, limit - scanned)
        page = client.scan(
            TableName=table_name,
            FilterExpression="entity = :pass AND #status <> :erased",
            ProjectionExpression="PK",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=to_item({":pass": "PASS", ":erased": "ERASED"}),
            Limit=size,
            **({"ExclusiveStartKey": cursor} if cursor else {}),
        )
        addresses = [_address(str(from_item(raw)["PK"])) for raw in page.get("Items", [])]
        tally["passes"] += len(addresses)
        for address in _unanswered(client, table_name, addresses):
            tally[_settle(client, table_name, address, has_users)] += 1
            tally["asked"] += 1
        scanned += page.get("ScannedCount", 0)
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return GoogleSavesRun(**tally, start_after=None)
        if limit is not None and scanned >= limit:
            return GoogleSavesRun(**tally, start_after={"PK": cursor["PK"], "SK": cursor["SK"]})


def _address(partition: str) -> PassAddress:
    """`PASS#<customerId>#<offerId>` (keys.pass_partition)."""
    _, customer_id, offer_id = partition.split("#", 2)
    return PassAddress(customer_id, offer_id)


def _unanswered(client: Any, table_name: str, addresses: list[PassAddress]) -> list[PassAddress]:
    """The passes whose delivery record (if any) holds no callback's event and no earlier run's answer."""
    if not addresses:
        return []
    records = batch_get(
        client,
        table_name,
        [delivery_key(a) for a in addresses],
        "customerId, offerId, googleEventMillis, googleSaved, googleCheckedAt",
    )
    answered = {
        PassAddress(str(r["customerId"]), str(r["offerId"]))
        for r in records
        if {"googleEventMillis", "googleSaved", "googleCheckedAt"} & set(r)
    }
    return [a for a in addresses if a not in answered]


def _settle(
    client: Any, table_name: str, address: PassAddress, has_users: Callable[[PassAddress], bool | None]
) -> str:
    try:
        users = has_users(address)
    except ServiceUnavailable:
        return "left"
    values: dict[str, Any] = {
        ":entity": ENTITY,
        ":customerId": address.customer_id,
        ":offerId": address.offer_id,
        ":at": to_iso(utc_now()),
    }
    expression = "SET entity = :entity, customerId = :customerId, offerId = :offerId, googleCheckedAt = :at"
    if users:
        # As the save callback records it (WalletDeliveryStore.record), so the ledger counts it once.
        expression += ", googleSaved = :saved ADD w :one"
        values.update({":saved": True, ":one": 1})
    try:
        client.update_item(
            TableName=table_name,
            Key=to_item(delivery_key(address)),
            UpdateExpression=expression,
            ConditionExpression=_UNANSWERED,
            ExpressionAttributeValues=to_item(values),
        )
    except ClientError as error:
        if condition_failed(error):
            return "meanwhile"
        raise
    return "saved" if users else "unsaved"
