"""An offer's passes, as the wallet refresh needs them: listed from the keys-only GSI3, redrawn one conditional
write each, and their versions read back in one consistent BatchGetItem per hundred."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.passes import pass_from_plain
from loyalty.app.ports import CustomerPage
from loyalty.domain.passes import Pass, PassStatus


class OfferPassStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def customer_ids(self, offer_id: str, *, after: str | None, limit: int) -> CustomerPage:
        """One page of the offer's customers, in id order, after `after`."""
        partition = keys.offer_passes_partition(offer_id)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.OFFER_PASSES_INDEX,
            "KeyConditionExpression": "GSI3PK = :offer",
            "ExpressionAttributeValues": {":offer": {"S": partition}},
            "Limit": limit,
        }
        if after is not None:
            request["ExclusiveStartKey"] = to_item(
                {**keys.pass_key(after, offer_id), **keys.offer_passes_keys(after, offer_id)}
            )
        answer = self._client.query(**request)
        ids = [item["GSI3SK"]["S"] for item in answer.get("Items", [])]
        more = "LastEvaluatedKey" in answer and bool(ids)
        return CustomerPage(ids, ids[-1] if more else None)

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
        cards = (pass_from_plain(item) for item in batch_get(self._client, self._table, wanted))
        return {card.customer_id: card for card in cards}
