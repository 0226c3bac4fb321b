"""Businesses' profiles in the single table: one item per business holding its names and its brand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.domain.brand import DEFAULT_BRAND, Brand, BusinessProfile

ENTITY = "BUSINESS_PROFILE"


def brand_to_item(brand: Brand) -> dict[str, Any]:
    return {name: value for name, value in brand.as_fields().items() if value is not None}


def brand_from_item(raw: Mapping[str, Any]) -> Brand:
    return Brand(
        logo_image_id=raw.get("logoImageId"),
        icon_image_id=raw.get("iconImageId"),
        strip_image_id=raw.get("stripImageId"),
        background_color=str(raw.get("backgroundColor", DEFAULT_BRAND.background_color)),
        foreground_color=str(raw.get("foregroundColor", DEFAULT_BRAND.foreground_color)),
        label_color=str(raw.get("labelColor", DEFAULT_BRAND.label_color)),
    )


class BusinessProfileStore:
    """A `BusinessProfiles`."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def profile(self, business_id: str) -> BusinessProfile | None:
        found = self._client.get_item(
            TableName=self._table, Key=to_item(keys.business_profile_key(business_id)), ConsistentRead=True
        ).get("Item")
        if found is None:
            return None
        item = from_item(found)
        brand = brand_from_item(item["brand"]) if "brand" in item else DEFAULT_BRAND
        return BusinessProfile(business_id, str(item.get("name") or business_id), item.get("nameAr"), brand)

    def put_names(self, business_id: str, name: str, name_ar: str | None, *, at: str) -> None:
        """Names the business (its brand, when it has one, stays)."""
        values: dict[str, Any] = {":entity": ENTITY, ":id": business_id, ":name": name, ":at": at}
        expression = "SET entity = :entity, businessId = :id, #name = :name, updatedAt = :at"
        if name_ar is not None:
            values[":nameAr"] = name_ar
            expression += ", nameAr = :nameAr"
        self._client.update_item(
            TableName=self._table,
            Key=to_item(keys.business_profile_key(business_id)),
            UpdateExpression=expression,
            ExpressionAttributeNames={"#name": "name"},
            ExpressionAttributeValues=to_item(values),
        )

    def save_brand(self, business_id: str, brand: Brand, *, at: str) -> None:
        self._client.update_item(
            TableName=self._table,
            Key=to_item(keys.business_profile_key(business_id)),
            UpdateExpression="SET entity = :entity, businessId = :id, brand = :brand, updatedAt = :at",
            ExpressionAttributeValues=to_item(
                {":entity": ENTITY, ":id": business_id, ":brand": brand_to_item(brand), ":at": at}
            ),
        )
