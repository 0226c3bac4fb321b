"""What customers see of a business (its names and its brand), read from and written to the business's own item
(adapters/dynamodb/businesses.py): the brand attribute is written here alone."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.businesses import BUSINESS_ENTITY, brand_from_item, brand_to_item, business_key
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.domain.brand import DEFAULT_BRAND, Brand, BusinessProfile
from loyalty.domain.business import BusinessNotFound


class BusinessProfileStore:
    """A `BusinessProfiles`."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def profile(self, business_id: str) -> BusinessProfile | None:
        found = self._client.get_item(
            TableName=self._table, Key=to_item(business_key(business_id)), ConsistentRead=True
        ).get("Item")
        if found is None:
            return None
        item = from_item(found)
        brand = brand_from_item(item["brand"]) if "brand" in item else DEFAULT_BRAND
        return BusinessProfile(business_id, str(item.get("name") or ""), item.get("nameAr"), brand)

    def save_brand(self, business_id: str, brand: Brand, *, at: str) -> None:
        """The business's brand, on its item; a business with no item has nothing to brand (404)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(business_key(business_id)),
                # The stream carries the change to the wallet sync, which redraws the business's passes.
                UpdateExpression="SET brand = :brand, brandUpdatedAt = :at, entity = :entity",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=to_item(
                    {":brand": brand_to_item(brand), ":at": at, ":entity": BUSINESS_ENTITY}
                ),
            )
        except ClientError as error:
            if condition_failed(error):
                raise BusinessNotFound() from error
            raise
