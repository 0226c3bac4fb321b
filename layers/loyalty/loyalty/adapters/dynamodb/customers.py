"""A customer of a business across its offers, in the single table: their passes (found through the business's
offers, GSI2), the customer record, their credential issuances (GSI4, newest first), and what erasure rewrites."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, query_all, to_item
from loyalty.adapters.dynamodb.enroll_keys import PREFIX as ENROLL_KEYS
from loyalty.adapters.dynamodb.issuances import issuance_from_plain
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.idempotency import ENROLL_SCOPE, LEGACY_ENROLL_SCOPE
from loyalty.app.ports.customers import IssuancesRead
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.ids import is_id
from loyalty.domain.passes import Pass


class CustomerStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _query(self, request: dict[str, Any]) -> list[dict[str, Any]]:
        return query_all(self._client, {"TableName": self._table, **request})

    def passes(self, business_id: str, customer_id: str) -> list[Pass]:
        """The customer's passes in this business: the business's offers (a few) listed, their passes read."""
        offers = self._query(
            {
                "IndexName": keys.BUSINESS_INDEX,
                "KeyConditionExpression": "GSI2PK = :business",
                "ExpressionAttributeValues": {
                    ":business": {"S": keys.business_offers_partition(business_id)}
                },
                "ProjectionExpression": "offerId",
            }
        )
        wanted = [keys.pass_key(customer_id, str(offer["offerId"])) for offer in offers]
        return [pass_from_plain(item) for item in batch_get(self._client, self._table, wanted)]

    def enroll_keys(self, pass_: Pass) -> list[str]:
        """The Idempotency-Keys the pass's enrollments came with (their stored answers name the customer): the
        few items the ledger keeps them in (docs/decisions/0021b), not the pass's events."""
        kept = self._query(
            {
                "KeyConditionExpression": "PK = :pk AND begins_with(SK, :kept)",
                "ExpressionAttributeValues": to_item(
                    {":pk": keys.pass_partition(pass_.customer_id, pass_.offer_id), ":kept": ENROLL_KEYS}
                ),
                "ProjectionExpression": "idempotencyKey",
            }
        )
        return [str(item["idempotencyKey"]) for item in kept if item.get("idempotencyKey")]

    def forget_enroll_answers(self, pass_: Pass, idempotency_keys: list[str]) -> None:
        # The scope of every offer's enrollments, and the offer's own that records kept before it used (24 h).
        scopes = (ENROLL_SCOPE, LEGACY_ENROLL_SCOPE.format(offer_id=pass_.offer_id))
        for key in idempotency_keys:
            for scope in scopes:
                self._client.delete_item(TableName=self._table, Key=to_item(keys.idempotency_key(scope, key)))

    def forget_customer_record(self, business_id: str, email: str, customer_id: str) -> None:
        """Delete the record that ties the email to this customer (so the email may enroll again as a new one);
        a record the same email made since, for a new customer, stays."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=to_item(keys.customer_key(business_id, email)),
                ConditionExpression="customerId = :customer",
                ExpressionAttributeValues=to_item({":customer": customer_id}),
            )
        except ClientError as error:
            if not condition_failed(error):
                raise

    def anonymise_issuances(self, pass_: Pass) -> None:
        """The pass's issuances lose the recipient's address (AIR Kit's credential stays as issued)."""
        for item in self._query(
            {
                "IndexName": keys.BUSINESS_INDEX,
                "KeyConditionExpression": "GSI2PK = :pk",
                "ExpressionAttributeValues": to_item(
                    {":pk": keys.pass_issuances_partition(pass_.customer_id, pass_.offer_id)}
                ),
            }
        ):
            self._client.update_item(
                TableName=self._table,
                Key=to_item({"PK": item["PK"], "SK": item["SK"]}),
                UpdateExpression="REMOVE recipientEmail",
                ConditionExpression="attribute_exists(PK)",
            )

    def issuances(self, customer_id: str, *, limit: int, cursor: str | None) -> IssuancesRead:
        """The customer's issuances, newest first: one Query of GSI4, then one BatchGetItem of the page."""
        partition = keys.customer_issuances_partition(customer_id)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.MEMBERS_INDEX,
            "KeyConditionExpression": "GSI4PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": partition}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor is not None:
            request["ExclusiveStartKey"] = _start_key(partition, cursor)
        answer = self._client.query(**request)
        ids = [item["GSI4SK"]["S"].rsplit("#", 1)[1] for item in answer.get("Items", [])]
        found = {
            item["issuanceId"]: issuance_from_plain(item)
            for item in batch_get(self._client, self._table, [keys.issuance_key(i) for i in ids])
        }
        last = answer.get("LastEvaluatedKey")
        return IssuancesRead(
            [found[i] for i in ids if i in found], _cursor(last["GSI4SK"]["S"]) if last else None
        )


def _cursor(sort: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"sk": sort}).encode()).decode().rstrip("=")


def _start_key(partition: str, cursor: str) -> dict[str, Any]:
    try:
        sort = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["sk"]
        _, issuance_id = sort.rsplit("#", 1)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise InvalidCursor() from None
    if not is_id(issuance_id, "iss"):
        raise InvalidCursor()
    return to_item({**keys.issuance_key(issuance_id), "GSI4PK": partition, "GSI4SK": sort})
