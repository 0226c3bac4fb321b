"""Businesses, their branches and their people in the single table, one partition per business
(`BUSINESS#<id>`: the business, `BRANCH#<id>`, `PERSON#<userId>`, `INVITE#<email digest>`), and each owner's
one-business marker (`USER#<userId>`/`OWNS`). Every change that must hold with another is one transaction with
conditions: the owners count on the business item keeps at least one owner whatever runs at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, query_all, to_item
from loyalty.adapters.dynamodb.keys import email_digest
from loyalty.domain.brand import DEFAULT_BRAND, Brand
from loyalty.domain.business import (
    Branch,
    BranchStatus,
    Business,
    Person,
    PersonStatus,
    StaffRole,
)

Key = dict[str, str]


def business_partition(business_id: str) -> str:
    return f"BUSINESS#{business_id}"


def business_key(business_id: str) -> Key:
    return {"PK": business_partition(business_id), "SK": "BUSINESS"}


def branch_key(business_id: str, branch_id: str) -> Key:
    return {"PK": business_partition(business_id), "SK": f"BRANCH#{branch_id}"}


def person_key(business_id: str, user_id: str) -> Key:
    return {"PK": business_partition(business_id), "SK": f"PERSON#{user_id}"}


def invitation_key(business_id: str, email: str) -> Key:
    return {"PK": business_partition(business_id), "SK": f"INVITE#{email_digest(email)}"}


def owner_marker_key(user_id: str) -> Key:
    return {"PK": f"USER#{user_id}", "SK": "OWNS"}


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


BUSINESS_ENTITY = "BUSINESS"  # what the wallet sync's stream filter lets through (a new name or brand)


def _business_item(business: Business) -> dict[str, Any]:
    return {
        "entity": BUSINESS_ENTITY,
        "businessId": business.business_id,
        "name": business.name,
        "nameAr": business.name_ar,
        "timezone": business.timezone,
        "defaultLanguage": business.default_language,
        "createdAt": business.created_at,
        "ownerId": business.owner_id,
    }


def _business(item: dict[str, Any]) -> Business:
    # The brand is written by the brand's own use case (business_profiles.BusinessProfileStore.save_brand).
    return Business(
        business_id=item["businessId"],
        name=item["name"],
        name_ar=item.get("nameAr"),
        timezone=item["timezone"],
        default_language=item["defaultLanguage"],
        created_at=item["createdAt"],
        owner_id=item["ownerId"],
        brand=brand_from_item(item["brand"]) if "brand" in item else DEFAULT_BRAND,
    )


def _branch_item(branch: Branch) -> dict[str, Any]:
    return {
        "branchId": branch.branch_id,
        "businessId": branch.business_id,
        "name": branch.name,
        "nameAr": branch.name_ar,
        "address": branch.address,
        "latitude": None if branch.latitude is None else str(branch.latitude),
        "longitude": None if branch.longitude is None else str(branch.longitude),
        "status": branch.status.value,
    }


def _branch(item: dict[str, Any]) -> Branch:
    return Branch(
        branch_id=item["branchId"],
        business_id=item["businessId"],
        name=item["name"],
        name_ar=item.get("nameAr"),
        address=item.get("address"),
        latitude=float(item["latitude"]) if item.get("latitude") is not None else None,
        longitude=float(item["longitude"]) if item.get("longitude") is not None else None,
        status=BranchStatus(item["status"]),
    )


def _person_item(person: Person) -> dict[str, Any]:
    return {
        "userId": person.user_id,
        "businessId": person.business_id,
        "email": person.email,
        "role": person.role.value,
        "branchId": person.branch_id,
        "status": person.status.value,
        "invitedAt": person.invited_at,
        "lastSeenAt": person.last_seen_at,
    }


def _person(item: dict[str, Any]) -> Person:
    return Person(
        user_id=item["userId"],
        business_id=item["businessId"],
        email=item.get("email"),
        role=StaffRole(item["role"]),
        branch_id=item.get("branchId"),
        status=PersonStatus(item["status"]),
        invited_at=item["invitedAt"],
        last_seen_at=item.get("lastSeenAt"),
    )


class BusinessTable:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # -- plumbing

    def _transact(self, items: list[dict[str, Any]]) -> bool:
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if condition_failed(error, or_conflict=True):
                return False
            raise
        return True

    def _get(self, key: Key) -> dict[str, Any] | None:
        item = self._client.get_item(TableName=self._table, Key=to_item(key), ConsistentRead=True).get("Item")
        return from_item(item) if item else None

    def _listed(self, business_id: str, prefix: str) -> list[dict[str, Any]]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :prefix)",
            "ExpressionAttributeValues": to_item({":pk": business_partition(business_id), ":prefix": prefix}),
        }
        return query_all(self._client, request)

    def _put(
        self, key: Key, values: dict[str, Any], condition: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        put: dict[str, Any] = {"TableName": self._table, "Item": to_item({**key, **values})}
        if condition:
            put["ConditionExpression"] = condition
        put.update(extra)
        return {"Put": put}

    def _owners_by(self, business_id: str, delta: int) -> dict[str, Any]:
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": to_item(business_key(business_id)),
            "UpdateExpression": "ADD owners :delta",
            "ExpressionAttributeValues": to_item({":delta": delta}),
            "ConditionExpression": "attribute_exists(PK)",
        }
        if delta < 0:
            # The last owner stays: the count is checked in the same transaction that lowers it.
            update["ConditionExpression"] = "owners > :one"
            update["ExpressionAttributeValues"] = to_item({":delta": delta, ":one": 1})
        return {"Update": update}

    # -- the business

    def create_business(self, business: Business, owner: Person) -> bool:
        return self._transact(
            [
                self._put(
                    business_key(business.business_id),
                    {**_business_item(business), "owners": 1},
                    "attribute_not_exists(PK)",
                ),
                self._put(person_key(business.business_id, owner.user_id), _person_item(owner)),
                self._put(
                    owner_marker_key(owner.user_id),
                    {"businessId": business.business_id},
                    "attribute_not_exists(PK)",
                ),
            ]
        )

    def business(self, business_id: str) -> Business | None:
        item = self._get(business_key(business_id))
        return _business(item) if item else None

    def save_business(self, business: Business) -> None:
        values = _business_item(business)
        names = {f"#{k}": k for k in values if values[k] is not None}
        self._client.update_item(
            TableName=self._table,
            Key=to_item(business_key(business.business_id)),
            UpdateExpression="SET "
            + ", ".join(f"#{k} = :{k}" for k in values if values[k] is not None)
            + (" REMOVE nameAr" if business.name_ar is None else ""),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item({f":{k}": v for k, v in values.items()}),
            ConditionExpression="attribute_exists(PK)",
        )

    # -- branches

    def branches(self, business_id: str) -> list[Branch]:
        return [_branch(item) for item in self._listed(business_id, "BRANCH#")]

    def add_branch(self, branch: Branch) -> None:
        self._client.put_item(
            TableName=self._table,
            Item=to_item({**branch_key(branch.business_id, branch.branch_id), **_branch_item(branch)}),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def save_branch(self, branch: Branch) -> bool:
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_item({**branch_key(branch.business_id, branch.branch_id), **_branch_item(branch)}),
                ConditionExpression="attribute_exists(PK)",
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True

    # -- people

    def people(self, business_id: str) -> list[Person]:
        return [_person(item) for item in self._listed(business_id, "PERSON#")]

    def person(self, business_id: str, user_id: str) -> Person | None:
        item = self._get(person_key(business_id, user_id))
        return _person(item) if item else None

    def reserve_invitation(self, business_id: str, email: str) -> str | None:
        key = invitation_key(business_id, email)
        try:
            self._client.put_item(
                TableName=self._table,
                Item=to_item({**key, "businessId": business_id}),
                ConditionExpression="attribute_not_exists(userId)",
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            held = self._get(key)
            return str(held["userId"]) if held and held.get("userId") else None
        return None

    def add_person(self, person: Person, email: str) -> None:
        items = [
            self._put(person_key(person.business_id, person.user_id), _person_item(person)),
            {
                "Update": {
                    "TableName": self._table,
                    "Key": to_item(invitation_key(person.business_id, email)),
                    "UpdateExpression": "SET userId = :user",
                    "ExpressionAttributeValues": to_item({":user": person.user_id}),
                }
            },
        ]
        if person.role is StaffRole.OWNER:
            items.append(self._owners_by(person.business_id, 1))
        if not self._transact(items):
            raise RuntimeError("the business of an invitation vanished")

    def save_person(self, before: Person, after: Person) -> bool:
        items = [
            self._put(
                person_key(after.business_id, after.user_id),
                _person_item(after),
                "#role = :role AND #status = :status",
                ExpressionAttributeNames={"#role": "role", "#status": "status"},
                ExpressionAttributeValues=to_item(
                    {":role": before.role.value, ":status": before.status.value}
                ),
            )
        ]
        if before.role is not after.role:
            items.append(self._owners_by(after.business_id, 1 if after.role is StaffRole.OWNER else -1))
        return self._transact(items)

    def remove_person(self, person: Person, email: str | None) -> bool:
        items = [
            self._put(
                person_key(person.business_id, person.user_id),
                _person_item(person.removed()),
                "#status <> :removed",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item({":removed": PersonStatus.REMOVED.value}),
            )
        ]
        if person.role is StaffRole.OWNER:
            items.append(self._owners_by(person.business_id, -1))
        if email:
            # The email is free again: the same person may be invited back later.
            items.append(
                {
                    "Delete": {
                        "TableName": self._table,
                        "Key": to_item(invitation_key(person.business_id, email)),
                    }
                }
            )
        return self._transact(items)

    def branch_names(self, business_id: str) -> dict[str, str]:
        """Branch id → name, for answers that show where something happened."""
        return {branch.branch_id: branch.name for branch in self.branches(business_id)}
