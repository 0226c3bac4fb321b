"""An offer's passes, as the wallet refresh needs them: its active members listed from GSI4 (the members index,
`MEMBERS#<offerId>` / `<memberSince>#<customerId>`, which every pass carries and which projects `status`), redrawn
one conditional write each, and their versions read back in one consistent BatchGetItem per hundred."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.ports.wallets import CustomerPage
from loyalty.domain.passes import Pass, PassStatus


class OfferPassStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def customer_ids(self, offer_id: str, *, after: str | None, limit: int) -> CustomerPage:
        """One page of the offer's ACTIVE passes' customers, oldest members first, from `after` on.

        Only active passes are listed: a redraw leaves an expired or erased pass alone (its wallet shows it ended),
        and the index's `status` spares those their failed conditional writes. The filter runs after `Limit`, so
        a page may hold fewer ids than `limit`, even none, with more to come: `after` is then where the index
        stopped reading (`<memberSince>#<customerId>`, opaque to the caller), not the last id listed."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.MEMBERS_INDEX,
            "KeyConditionExpression": "GSI4PK = :members",
            "FilterExpression": "#status = :active",
            "ProjectionExpression": "GSI4SK",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": to_item(
                {":members": keys.members_partition(offer_id), ":active": PassStatus.ACTIVE.value}
            ),
            "Limit": limit,
        }
        start = self._start_key(offer_id, after) if after is not None else None
        if start is not None:
            request["ExclusiveStartKey"] = start
        answer = self._client.query(**request)
        ids = [_customer_id(item["GSI4SK"]["S"]) for item in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        return CustomerPage(ids, last["GSI4SK"]["S"] if last else None)

    def _start_key(self, offer_id: str, after: str) -> dict[str, Any] | None:
        """The index position a page resumes after. A plan queued while the listing read the offer-passes index
        (GSI3, gone) carries a bare customer id: its pass's `memberSince` places it in the members index; were
        the pass gone, the listing starts over (a repeated redraw is harmless)."""
        if "#" in after:
            position = after
        else:
            found = self._client.get_item(
                TableName=self._table,
                Key=to_item(keys.pass_key(after, offer_id)),
                ProjectionExpression="memberSince",
                ConsistentRead=True,
            ).get("Item")
            if found is None:
                return None
            position = keys.members_keys(after, offer_id, found["memberSince"]["S"])["GSI4SK"]
        return to_item(
            {
                **keys.pass_key(_customer_id(position), offer_id),
                "GSI4PK": keys.members_partition(offer_id),
                "GSI4SK": position,
            }
        )

    def redraw(self, customer_id: str, offer_id: str, at: str) -> Pass | None:
        """Move an active pass's version and `updatedAt` (what a phone compares to know its copy is stale),
        nothing else; None when the pass is gone or expired (its wallet shows it expired, nothing to redraw).
        `lastActivityAt` stays: a redraw is not the customer's activity. It is no change of the pass either: it
        removes the pass's change note (`chg`), or the ledger would take the new version for the last change
        made again."""
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=to_item(keys.pass_key(customer_id, offer_id)),
                UpdateExpression="SET #version = #version + :one, updatedAt = :at REMOVE chg",
                ConditionExpression="attribute_exists(PK) AND #status = :active",
                ExpressionAttributeNames={"#version": "version", "#status": "status"},
                ExpressionAttributeValues=to_item({":one": 1, ":at": at, ":active": PassStatus.ACTIVE.value}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if condition_failed(error):
                return None
            raise
        return pass_from_plain(from_item(answer["Attributes"]))

    def passes(self, offer_id: str, customer_ids: Sequence[str]) -> dict[str, Pass]:
        """The passes that exist, by customer id (strongly consistent)."""
        wanted = [keys.pass_key(customer_id, offer_id) for customer_id in dict.fromkeys(customer_ids)]
        pass_batch = (pass_from_plain(item) for item in batch_get(self._client, self._table, wanted))
        return {pass_.customer_id: pass_ for pass_ in pass_batch}


def _customer_id(members_sort: str) -> str:
    """From a members index sort key, `<memberSince>#<customerId>`."""
    return members_sort.rsplit("#", 1)[1]
