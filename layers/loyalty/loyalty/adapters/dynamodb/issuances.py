"""Credential issuance records. The record is the outbox: written in the same transaction as what caused it, its
stream insert starts the workflow; every later status change is conditional on the life cycle allowing it.

The recipient's email lives on the record (AIR Kit's partner JWT names it) and leaves it only for that JWT."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.domain.credentials import (
    PENDING,
    REACHABLE_FROM,
    Issuance,
    IssuanceAlreadyFinal,
    IssuanceNotFound,
    truncate_reason,
)
from loyalty.domain.customers import canonical_email

ENTITY = "ISSUANCE"


def issuance_item(issuance: Issuance, recipient_email: str) -> dict[str, Any]:
    """The low-level DynamoDB item of an issuance."""
    return to_item(
        {
            **keys.issuance_key(issuance.issuance_id),
            "entity": ENTITY,
            "GSI2PK": keys.pass_issuances_partition(issuance.customer_id, issuance.offer_id),
            "GSI2SK": keys.issuance_order_sort(issuance.created_at, issuance.issuance_id),
            "GSI4PK": keys.customer_issuances_partition(issuance.customer_id),
            "GSI4SK": keys.issuance_order_sort(issuance.created_at, issuance.issuance_id),
            "issuanceId": issuance.issuance_id,
            "customerId": issuance.customer_id,
            "offerId": issuance.offer_id,
            "businessId": issuance.business_id,
            "tierId": issuance.tier_id,
            "tierName": issuance.tier_name,
            "subject": issuance.subject,
            "status": issuance.status,
            "attempts": issuance.attempts,
            "coreClaimHash": issuance.core_claim_hash,
            "createdAt": issuance.created_at,
            "updatedAt": issuance.updated_at,
            "error": issuance.error,
            "recipientEmail": canonical_email(recipient_email),
        }
    )


def issuance_put(table_name: str, issuance: Issuance, recipient_email: str) -> dict[str, Any]:
    """A TransactWriteItems element that creates the issuance, for the transaction that causes it."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": issuance_item(issuance, recipient_email),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


def issuance_from_plain(item: dict[str, Any]) -> Issuance:
    return Issuance(
        issuance_id=item["issuanceId"],
        customer_id=item["customerId"],
        offer_id=item["offerId"],
        business_id=item["businessId"],
        tier_id=item["tierId"],
        tier_name=item["tierName"],
        subject=dict(item.get("subject") or {}),
        status=item["status"],
        attempts=int(item.get("attempts", 0)),
        maybe_accepted=bool(item.get("maybeAccepted", False)),
        core_claim_hash=item.get("coreClaimHash"),
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        error=item.get("error"),
    )


class DynamoIssuanceStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def create(self, issuance: Issuance, recipient_email: str) -> bool:
        """Write a new issuance; False when one with this id already exists (nothing changes then)."""
        try:
            self.client.transact_write_items(
                TransactItems=[issuance_put(self.table_name, issuance, recipient_email)]
            )
        except ClientError as error:
            # Refused by its attribute_not_exists condition, or racing an identical create still in flight.
            if condition_failed(error, or_conflict=True):
                return False
            raise
        return True

    def _item(self, issuance_id: str) -> dict[str, Any] | None:
        response = self.client.get_item(
            TableName=self.table_name, Key=to_item(keys.issuance_key(issuance_id)), ConsistentRead=True
        )
        raw = response.get("Item")
        return from_item(raw) if raw else None

    def get(self, issuance_id: str) -> Issuance | None:
        item = self._item(issuance_id)
        return issuance_from_plain(item) if item else None

    def with_recipient(self, issuance_id: str) -> tuple[Issuance, str]:
        item = self._item(issuance_id)
        # An erased customer's issuances keep no address: there is no one left to credit.
        if item is None or not item.get("recipientEmail"):
            raise IssuanceNotFound()
        return issuance_from_plain(item), str(item["recipientEmail"])

    def count_attempt(self, issuance_id: str, at: str) -> Issuance:
        """One more submission attempt, counted only while the issuance still waits to be accepted. The attempt
        is marked as possibly accepted before it leaves, so that a run that dies mid-call (a Lambda timeout)
        leaves the mark for the retry; `attempt_refused` takes it back when AIR Kit clearly did not act."""
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.issuance_key(issuance_id)),
                UpdateExpression="ADD attempts :one SET updatedAt = :at, maybeAccepted = :true",
                ConditionExpression="attribute_exists(PK) AND #status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":one": 1, ":at": at, ":pending": PENDING, ":true": True}),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            current = self.get(issuance_id)
            if current is None:
                raise IssuanceNotFound() from error
            raise IssuanceAlreadyFinal(issuance_id, current.status) from error
        return issuance_from_plain(from_item(response["Attributes"]))

    def attempt_refused(self, issuance_id: str) -> None:
        """AIR Kit clearly did not take the last attempt (a 429, a connection never made), and no earlier attempt
        was in doubt: the next attempt may replace an older credential (`onDuplicate: "revoke"`) again."""
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.issuance_key(issuance_id)),
                UpdateExpression="REMOVE maybeAccepted",
                ConditionExpression="#status = :pending",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":pending": PENDING}),
            )
        except ClientError as error:
            # Settled meanwhile: the mark no longer matters.
            if not condition_failed(error):
                raise

    def move(
        self,
        issuance_id: str,
        status: str,
        at: str,
        *,
        core_claim_hash: str | None = None,
        error: str | None = None,
    ) -> Issuance:
        """Move the issuance to `status` if the life cycle allows it from where it is now (never back from a
        final status). Moving to the status it already has changes nothing and answers it as it is."""
        names = {"#status": "status", "#error": "error"}
        values: dict[str, Any] = {":status": status, ":at": at}
        sets = ["#status = :status", "updatedAt = :at"]
        allowed = sorted(REACHABLE_FROM[status])
        for index, previous in enumerate(allowed):
            values[f":from{index}"] = previous
        if core_claim_hash is not None:
            sets.append("coreClaimHash = :hash")
            values[":hash"] = core_claim_hash
        if error is not None:
            sets.append("#error = :error")
            values[":error"] = truncate_reason(error)
        update = "SET " + ", ".join(sets) + ("" if error is not None else " REMOVE #error")
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.issuance_key(issuance_id)),
                UpdateExpression=update,
                ConditionExpression="attribute_exists(PK) AND #status IN ("
                + ", ".join(f":from{i}" for i in range(len(allowed)))
                + ")",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
                ReturnValues="ALL_NEW",
            )
        except ClientError as failure:
            if not condition_failed(failure):
                raise
            current = self.get(issuance_id)
            if current is None:
                raise IssuanceNotFound() from failure
            if current.status == status:
                return current
            raise IssuanceAlreadyFinal(issuance_id, current.status) from failure
        return issuance_from_plain(from_item(response["Attributes"]))

    def of_pass(self, customer_id: str, offer_id: str) -> list[Issuance]:
        """Every issuance of a pass, oldest first."""
        return self._pass_issuances(customer_id, offer_id)

    def _pass_issuances(self, customer_id: str, offer_id: str) -> list[Issuance]:
        values: dict[str, Any] = {":pass": keys.pass_issuances_partition(customer_id, offer_id)}
        condition = "GSI2PK = :pass"
        query: dict[str, Any] = {
            "TableName": self.table_name,
            "IndexName": keys.BUSINESS_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": to_item(values),
        }
        found: list[Issuance] = []
        while True:
            response = self.client.query(**query)
            found.extend(issuance_from_plain(from_item(raw)) for raw in response.get("Items", []))
            if "LastEvaluatedKey" not in response:
                return found
            query["ExclusiveStartKey"] = response["LastEvaluatedKey"]
