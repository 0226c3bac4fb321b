"""The customer item (email → customer) as an enrollment's transaction creates it."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    to_item,
)
from loyalty.app.ports.passes import (
    NewCustomer,
)


def customer_put(table_name: str, customer: NewCustomer) -> dict[str, Any]:
    """The TransactWriteItems element that creates a customer (refused if the business knows the email already)."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": to_item(
                {
                    **keys.customer_key(customer.business_id, customer.email),
                    "entity": "CUSTOMER",
                    "customerId": customer.customer_id,
                    "businessId": customer.business_id,
                    "email": customer.email,
                    "name": customer.name,
                    "createdAt": customer.created_at,
                }
            ),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }
