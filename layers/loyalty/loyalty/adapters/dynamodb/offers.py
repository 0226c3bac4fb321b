"""Offers in the single table: one item per offer, listed per business through GSI2."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.businesses import brand_from_item, brand_to_item
from loyalty.adapters.dynamodb.dynamo import condition_failed
from loyalty.adapters.dynamodb.idempotency import is_live, record_key, record_put, remembered_from_item
from loyalty.adapters.dynamodb.keys import (
    BUSINESS_INDEX,
    business_offers_partition,
    offer_key,
    offer_listing_sort,
)
from loyalty.adapters.dynamodb.reminder_keys import reminder_weeks_key
from loyalty.app.idempotency import IdempotentRequest, StoredAnswer, replay
from loyalty.app.ports.offers import OffersRead
from loyalty.domain.brand import Brand
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.ids import is_id
from loyalty.domain.offers import DEFAULT_TIMEZONE, Offer, OfferChanges, OfferNotFound, OfferStatus
from loyalty.domain.reminders import DEFAULT_REMINDER_DAYS, reminder_weeks
from loyalty.domain.tiers import Tier, TierConfig

ENTITY = "OFFER"
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def offer_to_item(offer: Offer) -> dict[str, Any]:
    """The plain item (before TypeSerializer); absent optional texts are not stored at all."""
    item: dict[str, Any] = {
        **offer_key(offer.offer_id),
        "entity": ENTITY,
        "offerId": offer.offer_id,
        "businessId": offer.business_id,
        "name": offer.name,
        "stampsRequired": offer.stamps_required,
        "minMinutesBetweenStamps": offer.min_minutes_between_stamps,
        "expiryReminderDays": offer.expiry_reminder_days,
        "timezone": offer.timezone,
        "status": offer.status.value,
        "createdAt": offer.created_at,
        "updatedAt": offer.updated_at or offer.created_at,
        "GSI2PK": business_offers_partition(offer.business_id),
        "GSI2SK": offer_listing_sort(offer.created_at, offer.offer_id),
    }
    optional = {
        "nameAr": offer.name_ar,
        "rewardDescription": offer.reward_description,
        "rewardDescriptionAr": offer.reward_description_ar,
    }
    item.update({key: value for key, value in optional.items() if value is not None})
    if offer.loyalty_tiers is not None:
        item["loyaltyTiers"] = tier_config_to_item(offer.loyalty_tiers)
    if offer.brand is not None:
        item["brand"] = brand_to_item(offer.brand)
    return item


def offer_from_item(item: Mapping[str, Any]) -> Offer:
    """An offer from its deserialized item (numbers arrive as Decimal)."""
    raw_tiers = item.get("loyaltyTiers")
    return Offer(
        offer_id=str(item["offerId"]),
        business_id=str(item["businessId"]),
        name=str(item["name"]),
        name_ar=_optional_text(item.get("nameAr")),
        stamps_required=int(item["stampsRequired"]),
        reward_description=_optional_text(item.get("rewardDescription")),
        reward_description_ar=_optional_text(item.get("rewardDescriptionAr")),
        loyalty_tiers=tier_config_from_item(raw_tiers) if raw_tiers is not None else None,
        created_at=str(item["createdAt"]),
        # Offers stored before editing existed carry none of these: they mean the defaults.
        min_minutes_between_stamps=int(item.get("minMinutesBetweenStamps", 0)),
        expiry_reminder_days=int(item.get("expiryReminderDays", DEFAULT_REMINDER_DAYS)),
        timezone=str(item.get("timezone", DEFAULT_TIMEZONE)),
        status=OfferStatus(str(item.get("status", OfferStatus.ACTIVE.value))),
        updated_at=_optional_text(item.get("updatedAt")),
        brand=brand_from_item(item["brand"]) if item.get("brand") is not None else None,
    )


def tier_config_to_item(config: TierConfig) -> dict[str, Any]:
    """A ladder as the offer item keeps it (`color` only when set)."""
    tiers = []
    for tier in config.tiers:
        stored: dict[str, Any] = {
            "id": tier.id,
            "name": tier.name,
            "nameAr": tier.name_ar,
            "minRewards": tier.min_rewards,
            "maxRewards": tier.max_rewards,
            "icon": tier.icon,
        }
        if tier.color is not None:
            stored["color"] = tier.color
        tiers.append(stored)
    return {"enabled": config.enabled, "tiers": tiers}


def tier_config_from_item(raw: Mapping[str, Any]) -> TierConfig:
    """A stored config is trusted: it was validated when written, and re-validating it on read would make an
    offer unreadable if a rule ever tightened."""
    return TierConfig(
        enabled=bool(raw["enabled"]),
        tiers=tuple(_tier_from_item(tier) for tier in raw.get("tiers", [])),
    )


def _tier_from_item(raw: Mapping[str, Any]) -> Tier:
    max_rewards = raw.get("maxRewards")
    color = raw.get("color")
    return Tier(
        id=str(raw["id"]),
        name=str(raw["name"]),
        name_ar=str(raw["nameAr"]),
        min_rewards=int(raw["minRewards"]),
        max_rewards=int(max_rewards) if max_rewards is not None else None,
        icon=str(raw["icon"]),
        color=str(color) if color is not None else None,
    )


def _optional_text(value: object) -> str | None:
    return str(value) if value is not None else None


class DynamoOfferStore:
    """Offers through the low-level DynamoDB client (the same client type every repository of the layer takes)."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def add(self, offer: Offer) -> None:
        """Store a new offer; ids are random, so a collision is a bug and surfaces as one."""
        self._client.put_item(
            TableName=self._table,
            Item=_serialize(offer_to_item(offer)),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def add_answering(
        self, offer: Offer, request: IdempotentRequest, answer: StoredAnswer, *, at: str, ttl_hours: int
    ) -> StoredAnswer:
        """Store a new offer and the answer its Idempotency-Key replays, in one transaction; when the key was
        taken meanwhile (a concurrent retry), nothing is written and the stored answer is the answer."""
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": _serialize(offer_to_item(offer)),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    record_put(self._table, request, answer, at, ttl_hours),
                ]
            )
        except ClientError as error:
            stored = self.stored_answer(request) if condition_failed(error, or_conflict=True) else None
            if stored is None:
                raise
            return stored
        return answer

    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None:
        """The first answer given under this key (IdempotencyKeyReused if it came with another body)."""
        found = self._client.get_item(
            TableName=self._table, Key=_serialize(record_key(request)), ConsistentRead=True
        ).get("Item")
        record = _deserialize(found) if found else None
        if record is None or not is_live(record):
            return None
        return replay(request, remembered_from_item(record))

    def get(self, offer_id: str) -> Offer | None:
        answer = self._client.get_item(
            TableName=self._table, Key=_serialize(offer_key(offer_id)), ConsistentRead=True
        )
        item = answer.get("Item")
        return offer_from_item(_deserialize(item)) if item else None

    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OffersRead:
        """Newest first. The cursor carries only the position, never the partition: a business cannot page
        through another business's offers by editing it. A cursor is taken only when it names, exactly as
        this listing wrote it, an offer of this business (InvalidCursor, 400, otherwise): an edited, made-up
        or other business's cursor is refused rather than read from wherever it points."""
        partition = business_offers_partition(business_id)
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": BUSINESS_INDEX,
            "KeyConditionExpression": "GSI2PK = :business",
            "ExpressionAttributeValues": {":business": {"S": partition}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor is not None:
            request["ExclusiveStartKey"] = self._start_key(partition, cursor)
        answer = self._client.query(**request)
        offers = [offer_from_item(_deserialize(item)) for item in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        return OffersRead(offers, _encode_cursor(last) if last else None)

    def _start_key(self, partition: str, cursor: str) -> dict[str, Any]:
        """The listing position a cursor names, checked against the offer it names (one consistent GetItem of
        its keys): there is no server secret to sign offer cursors with, and a signature anyone can compute
        would prove nothing, so the table is the proof that this listing could have handed the cursor out."""
        start = _start_key(partition, cursor)
        found = self._client.get_item(
            TableName=self._table,
            Key={name: start[name] for name in ("PK", "SK")},
            ConsistentRead=True,
            ProjectionExpression="GSI2PK, GSI2SK",
        ).get("Item")
        if found is None or found.get("GSI2PK") != start["GSI2PK"] or found.get("GSI2SK") != start["GSI2SK"]:
            raise InvalidCursor()
        return start

    def set_tiers(self, offer_id: str, business_id: str, config: TierConfig | None, *, at: str) -> Offer:
        """Replace (or, with None, remove) the offer's tier config in one conditional write. The condition
        is the authorization: an offer that is missing or belongs to another business is not found."""
        values: dict[str, Any] = {":business": business_id, ":at": at}
        if config is None:
            update = "SET updatedAt = :at REMOVE loyaltyTiers"
        else:
            update = "SET loyaltyTiers = :tiers, updatedAt = :at"
            values[":tiers"] = tier_config_to_item(config)
        return self._update_owned(offer_id, update, values)

    def edit(self, offer_id: str, business_id: str, edit: OfferChanges, *, at: str) -> Offer:
        """Change only the fields the edit names, in one conditional write (the condition is the authorization,
        as for the ladder); an optional text edited to nothing is removed."""
        names: dict[str, str] = {"#updatedAt": "updatedAt"}
        values: dict[str, Any] = {":business": business_id, ":at": at}
        sets, removes = ["#updatedAt = :at"], []
        for position, (field, value) in enumerate(sorted(edit.changes.items())):
            names[f"#f{position}"] = field
            if value is None:
                removes.append(f"#f{position}")
                continue
            sets.append(f"#f{position} = :v{position}")
            values[f":v{position}"] = _stored(value)
        update = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        edited = self._update_owned(offer_id, update, values, names)
        days = edit.changes.get("expiryReminderDays")
        if isinstance(days, int) and days > 0:
            # The weekly reminder reads one week of the activity index per setting in use (domain/reminders.py).
            self._client.update_item(
                TableName=self._table,
                Key=_serialize(reminder_weeks_key()),
                UpdateExpression="ADD weeks :week",
                ExpressionAttributeValues=_serialize({":week": {reminder_weeks(days)}}),
            )
        return edited

    def _update_owned(
        self, offer_id: str, update: str, values: dict[str, Any], names: dict[str, str] | None = None
    ) -> Offer:
        """One conditional UpdateItem of the offer (`values` carries `:business`): the condition is the
        authorization, so an offer that is missing or another business's is not found. The offer as written."""
        request: dict[str, Any] = {
            "TableName": self._table,
            "Key": _serialize(offer_key(offer_id)),
            "UpdateExpression": update,
            "ConditionExpression": "attribute_exists(PK) AND businessId = :business",
            "ExpressionAttributeValues": _serialize(values),
            "ReturnValues": "ALL_NEW",
        }
        if names:
            request["ExpressionAttributeNames"] = names
        try:
            answer = self._client.update_item(**request)
        except ClientError as error:
            if condition_failed(error):
                raise OfferNotFound() from None
            raise
        return offer_from_item(_deserialize(answer["Attributes"]))


def _stored(value: object) -> object:
    if isinstance(value, OfferStatus):
        return value.value
    if isinstance(value, Brand):
        return brand_to_item(value)
    if isinstance(value, Mapping):
        # Only the brand's use case (app/brand/offer_brand.py) turns a brand's fields into a checked Brand.
        raise TypeError("an offer's brand is stored only once checked")
    return value


def _serialize(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(value) for key, value in values.items()}


def _deserialize(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def _encode_cursor(last_key: Mapping[str, Any]) -> str:
    position = {"sk": last_key["GSI2SK"]["S"], "offerId": _deserialize(last_key)["PK"].removeprefix("OFFER#")}
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode().rstrip("=")


def _start_key(partition: str, cursor: str) -> dict[str, Any]:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        sort, offer_id = position["sk"], position["offerId"]
    except (ValueError, TypeError, KeyError, binascii.Error):
        raise InvalidCursor() from None
    if not isinstance(sort, str) or not isinstance(offer_id, str) or not is_id(offer_id, "off"):
        raise InvalidCursor()
    if not sort.startswith("OFFER#") or not sort.endswith(f"#{offer_id}"):
        raise InvalidCursor()
    return _serialize({**offer_key(offer_id), "GSI2PK": partition, "GSI2SK": sort})
