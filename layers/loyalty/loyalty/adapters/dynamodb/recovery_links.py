"""Mailed pass-recovery links in the table: written once, read by their token's digest, dropped by TTL."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.domain.clock import parse_iso
from loyalty.domain.recovery import LINK_REMEMBERED_FOR, RecoveryLink


class RecoveryLinkStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def create(self, link: RecoveryLink) -> None:
        remembered_until = parse_iso(link.created_at) + LINK_REMEMBERED_FOR
        self.client.put_item(
            TableName=self.table_name,
            Item=to_item(
                {
                    **keys.recovery_link_key(link.token_digest),
                    "entity": "RECOVERY_LINK",
                    "customerId": link.customer_id,
                    "offerId": link.offer_id,
                    "businessId": link.business_id,
                    "createdAt": link.created_at,
                    "expiresAt": int(remembered_until.timestamp()),
                }
            ),
            # A fresh 32-byte token never collides; the condition makes sure a link is never overwritten.
            ConditionExpression="attribute_not_exists(PK)",
        )

    def find(self, token_digest: str) -> RecoveryLink | None:
        found = self.client.get_item(
            TableName=self.table_name, Key=to_item(keys.recovery_link_key(token_digest)), ConsistentRead=True
        ).get("Item")
        if found is None:
            return None
        item = from_item(found)
        return RecoveryLink(
            token_digest=token_digest,
            customer_id=item["customerId"],
            offer_id=item["offerId"],
            business_id=item["businessId"],
            created_at=item["createdAt"],
        )
