"""Campaigns in the single table, their audience, each recipient's mark and each pass's Google notification window.

- A campaign: `CAMPAIGNS#<offerId>` / `CMP#<campaignId>`, listed newest first through GSI2 (`CAMPAIGNS#<offerId>` /
  `<createdAt>#<campaignId>`); its counts are top-level numbers moved by ADD (atomic: no lost increments).
- The weekly allowance: `CAMPAIGNWEEK#<businessId>` / `<Monday>` counts the week's campaigns; it is taken in the
  same transaction that keeps the campaign and its Idempotency-Key's answer, under the condition that it is not
  spent, so two owners pressing "Send" at once cannot both take the last one.
- A recipient's mark: the pass keeps `campaignKey` (`<createdAt>#<campaignId>` of the last campaign it had) and
  when it reached it (`campaignAt`); the texts stay on the campaign item (the Apple web service reads them when
  it draws the pass's back), so the pass stays under 1 KB. The write's condition (active, consenting, an older
  key or none) gives each recipient a campaign at most once, and answers the pass as written (ReturnValues), so no
  read of the pass is needed.
- A pass's Google notification window: `PASS#…` / `GNOTIFY`, three slots holding the times of the pass's last
  notifying updates; taking one is a conditional write on a slot older than 24 hours (or empty)."""

from __future__ import annotations

import base64
import binascii
import json
import time
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.idempotency import is_live, record_key, record_put, remembered_from_item
from loyalty.adapters.dynamodb.members import members_query, rewards_condition
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.idempotency import IdempotentRequest, StoredAnswer, replay
from loyalty.app.ports.campaigns import AllowanceSpent, CampaignsRead, RecipientPage
from loyalty.domain.campaigns import COUNTS, Audience, Campaign, CampaignStatus, Segment
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS
from loyalty.domain.ids import is_id
from loyalty.domain.member_filters import tier_rewards
from loyalty.domain.member_search import MemberSegment, Sort, directory_range
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus

# Google's limit (developers.google.com/wallet/generic/use-cases/trigger-push-notifications: "a maximum of 3
# notifications ... per pass in a 24 hour period").
NOTIFICATIONS_A_DAY = 3
# A slot frees a minute after its day: times are kept to the millisecond, and our clock and Google's may differ
# a little; a notification a minute late is better than one refused.
_DAY = timedelta(hours=24, minutes=1)
_END = "\U0010ffff"


def campaign_partition(offer_id: str) -> str:
    return f"CAMPAIGNS#{offer_id}"


def campaign_key(offer_id: str, campaign_id: str) -> dict[str, str]:
    return {"PK": campaign_partition(offer_id), "SK": f"CMP#{campaign_id}"}


def week_key(business_id: str, week: str) -> dict[str, str]:
    return {"PK": f"CAMPAIGNWEEK#{business_id}", "SK": week}


def marking_key(campaign: Campaign) -> str:
    """Orders a pass's campaigns: a later campaign's key is greater."""
    return f"{campaign.created_at}#{campaign.campaign_id}"


def campaign_item(campaign: Campaign) -> dict[str, Any]:
    return {
        **campaign_key(campaign.offer_id, campaign.campaign_id),
        "GSI2PK": campaign_partition(campaign.offer_id),
        "GSI2SK": f"{campaign.created_at}#{campaign.campaign_id}",
        "entity": "CAMPAIGN",
        "campaignId": campaign.campaign_id,
        "offerId": campaign.offer_id,
        "businessId": campaign.business_id,
        "message": campaign.message,
        "messageAr": campaign.message_ar,
        "audience": json.dumps(campaign.audience.as_dict(), separators=(",", ":")),
        "audienceSize": campaign.audience_size,
        "status": campaign.status.value,
        "sendAt": campaign.send_at,
        "createdAt": campaign.created_at,
        **{name: int(campaign.counts.get(name, 0)) for name in COUNTS},
    }


def campaign_from_item(item: dict[str, Any]) -> Campaign:
    raw = json.loads(item["audience"])
    return Campaign(
        campaign_id=item["campaignId"],
        offer_id=item["offerId"],
        business_id=item["businessId"],
        message=item["message"],
        message_ar=item["messageAr"],
        audience=Audience(Segment(raw["segment"]), raw.get("tierId"), raw.get("branchId")),
        audience_size=int(item.get("audienceSize", 0)),
        status=CampaignStatus(item["status"]),
        send_at=item["sendAt"],
        created_at=item["createdAt"],
        counts={name: int(item.get(name, 0)) for name in COUNTS},
    )


class DynamoCampaignStore:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None:
        found = self._client.get_item(
            TableName=self._table, Key=to_item(record_key(request)), ConsistentRead=True
        ).get("Item")
        record = from_item(found) if found else None
        if record is None or not is_live(record):
            return None
        return replay(request, remembered_from_item(record))

    def add(
        self,
        campaign: Campaign,
        *,
        week: str,
        allowance: int,
        request: IdempotentRequest | None,
        answer: StoredAnswer,
        ttl_hours: int,
    ) -> StoredAnswer:
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(campaign_item(campaign)),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Update": {
                    "TableName": self._table,
                    "Key": to_item(week_key(campaign.business_id, week)),
                    "UpdateExpression": "ADD #sent :one SET expiresAt = :expires",
                    "ConditionExpression": "attribute_not_exists(#sent) OR #sent < :allowance",
                    "ExpressionAttributeNames": {"#sent": "campaigns"},
                    "ExpressionAttributeValues": to_item(
                        {
                            ":one": 1,
                            ":allowance": allowance,
                            # Kept a while past its week, then left to TTL.
                            ":expires": int(time.time()) + 30 * 86400,
                        }
                    ),
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ]
        if request is not None:
            items.append(record_put(self._table, request, answer, campaign.created_at, ttl_hours))
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if request is not None and len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed":
                stored = self.stored_answer(request)
                if stored is not None:
                    return stored
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                raise AllowanceSpent() from None
            raise
        return answer

    def get(self, offer_id: str, campaign_id: str) -> Campaign | None:
        found = self._client.get_item(
            TableName=self._table, Key=to_item(campaign_key(offer_id, campaign_id)), ConsistentRead=True
        ).get("Item")
        return campaign_from_item(from_item(found)) if found else None

    def page(self, offer_id: str, *, limit: int, cursor: str | None) -> CampaignsRead:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.BUSINESS_INDEX,
            "KeyConditionExpression": "GSI2PK = :pk",
            "ExpressionAttributeValues": to_item({":pk": campaign_partition(offer_id)}),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if cursor is not None:
            request["ExclusiveStartKey"] = self._start_key(offer_id, cursor)
        answer = self._client.query(**request)
        campaigns = [campaign_from_item(from_item(item)) for item in answer.get("Items", [])]
        last = answer.get("LastEvaluatedKey")
        next_cursor = None
        if last:
            position = str(last["GSI2SK"]["S"])
            next_cursor = base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")
        return CampaignsRead(campaigns, next_cursor)

    def _start_key(self, offer_id: str, cursor: str) -> dict[str, Any]:
        """The position a cursor names, if it is a campaign of this offer exactly as this listing wrote it (one
        consistent GetItem proves it); anything else is refused (400)."""
        try:
            position = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            created_at, campaign_id = position.rsplit("#", 1)
            parse_iso(created_at)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            raise InvalidCursor() from None
        if not is_id(campaign_id, "cmp"):
            raise InvalidCursor()
        found = self.get(offer_id, campaign_id)
        if found is None or found.created_at != created_at:
            raise InvalidCursor()
        return to_item(
            {
                **campaign_key(offer_id, campaign_id),
                "GSI2PK": campaign_partition(offer_id),
                "GSI2SK": position,
            }
        )

    def add_counts(self, campaign: Campaign, counts: dict[str, int]) -> None:
        wanted = {name: value for name, value in counts.items() if name in COUNTS and value}
        if not wanted:
            return
        names = {f"#c{n}": name for n, name in enumerate(wanted)}
        values = {f":c{n}": value for n, value in enumerate(wanted.values())}
        self._client.update_item(
            TableName=self._table,
            Key=to_item(campaign_key(campaign.offer_id, campaign.campaign_id)),
            UpdateExpression="ADD " + ", ".join(f"#c{n} :c{n}" for n in range(len(wanted))),
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item(values),
        )

    def move(self, campaign: Campaign, to: CampaignStatus, *, audience_size: int | None = None) -> bool:
        update = "SET #status = :to"
        values: dict[str, Any] = {":to": to.value, ":from": campaign.status.value}
        if audience_size is not None:
            update += ", audienceSize = :size"
            values[":size"] = audience_size
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(campaign_key(campaign.offer_id, campaign.campaign_id)),
                UpdateExpression=update,
                ConditionExpression="#status = :from",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=to_item(values),
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True


def _encode_after(last: dict[str, Any] | None) -> str | None:
    return json.dumps(last, separators=(",", ":")) if last else None


class DynamoCampaignAudience:
    """An audience read from the offer's members index (ALL, TIER, BRANCH) or its member directory (REWARD_READY,
    EXPIRING_SOON, AT_RISK): only keys come back, so a recipient costs one index item read."""

    def __init__(self, client: Any, table_name: str, inactivity_days: int = DEFAULT_INACTIVITY_DAYS) -> None:
        self._client = client
        self._table = table_name
        self._inactivity_days = inactivity_days

    def _request(self, offer: Offer, audience: Audience, at: str) -> dict[str, Any]:
        segment = audience.segment
        if segment in (Segment.ALL, Segment.TIER, Segment.BRANCH):
            values: dict[str, Any] = {":active": "ACTIVE"}
            condition = "#status = :active"
            if segment is Segment.TIER and audience.tier_id is not None:
                ranges = tier_rewards(offer.ladder, audience.tier_id)
                condition += " AND " + rewards_condition(ranges, values)
            return members_query(self._table, keys.members_partition(offer.offer_id), condition, values)
        stretch = directory_range(
            q=None,
            sort=Sort.JOINED,
            segment=MemberSegment(segment.value),
            at=at,
            inactivity_days=self._inactivity_days,
        )
        if stretch is None:
            raise ValueError(f"no member directory stretch for {segment}")
        kind = f"{stretch.kind.value}#"
        values = {":pk": keys.directory_partition(offer.offer_id)}
        if stretch.low is not None or stretch.high is not None:
            values[":low"] = kind + (stretch.low or "")
            values[":high"] = kind + (stretch.high or "") + _END
            key_condition = "PK = :pk AND SK BETWEEN :low AND :high"
        else:
            values[":prefix"] = kind + stretch.prefix
            key_condition = "PK = :pk AND begins_with(SK, :prefix)"
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": key_condition,
            "ExpressionAttributeValues": to_item(values),
        }
        if stretch.active_only:
            request["FilterExpression"] = "#active = :active"
            request["ExpressionAttributeNames"] = {"#active": "active"}
            request["ExpressionAttributeValues"][":active"] = {"BOOL": True}
        return request

    def page(
        self, offer: Offer, audience: Audience, *, at: str, after: str | None, limit: int
    ) -> RecipientPage:
        request = {**self._request(offer, audience, at), "Limit": limit}
        if after is not None:
            try:
                request["ExclusiveStartKey"] = json.loads(after)
            except ValueError:
                raise InvalidCursor() from None
        answer = self._client.query(**request)
        items = answer.get("Items", [])
        read = int(answer.get("ScannedCount", len(items)))
        if audience.segment in (Segment.ALL, Segment.TIER, Segment.BRANCH):
            ids = [str(item["GSI4SK"]["S"]).rsplit("#", 1)[1] for item in items]
        else:
            ids = list(dict.fromkeys(str(item["customerId"]["S"]) for item in items))
        if audience.segment is Segment.BRANCH and ids:
            found = batch_get(self._client, self._table, [keys.pass_key(c, offer.offer_id) for c in ids])
            read += len(found)
            regulars = {
                pass_.customer_id
                for pass_ in (pass_from_plain(item) for item in found)
                if _regular_of(pass_, audience.branch_id)
            }
            ids = [c for c in ids if c in regulars]
        return RecipientPage(ids, _encode_after(answer.get("LastEvaluatedKey")), read)

    def size(self, offer: Offer, audience: Audience, *, at: str) -> int:
        """The audience's active members (a COUNT query of the index: no items come back). Consent is judged per
        recipient when sending (`sent` counts those who said yes); a BRANCH audience counts its regulars."""
        if audience.segment is Segment.BRANCH:
            total, after = 0, None
            while True:
                page = self.page(offer, audience, at=at, after=after, limit=1000)
                total += len(page.customer_ids)
                if page.after is None:
                    return total
                after = page.after
        request = {**self._request(offer, audience, at), "Select": "COUNT"}
        total = 0
        while True:
            answer = self._client.query(**request)
            total += int(answer.get("Count", 0))
            last = answer.get("LastEvaluatedKey")
            if not last:
                return total
            request["ExclusiveStartKey"] = last

    def mark(self, customer_id: str, campaign: Campaign, at: str) -> Pass | None:
        try:
            answer = self._client.update_item(
                TableName=self._table,
                Key=to_item(keys.pass_key(customer_id, campaign.offer_id)),
                # The texts stay on the campaign item (read when the phone downloads the pass): on the pass they
                # would take it past 1 KB, two write units for each later scan. Texts an older mark left go.
                UpdateExpression=(
                    "SET campaignKey = :key, campaignAt = :at, updatedAt = :at, #version = #version + :one"
                    " REMOVE chg, campaignMessage, campaignMessageAr"
                ),
                ConditionExpression=(
                    "#status = :active AND marketingConsent = :yes"
                    " AND (attribute_not_exists(campaignKey) OR campaignKey < :key)"
                ),
                ExpressionAttributeNames={"#status": "status", "#version": "version"},
                ExpressionAttributeValues=to_item(
                    {
                        ":key": marking_key(campaign),
                        ":at": at,
                        ":one": 1,
                        ":active": PassStatus.ACTIVE.value,
                        ":yes": True,
                    }
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if condition_failed(error):
                return None
            raise
        return pass_from_plain(from_item(answer["Attributes"]))


def _regular_of(pass_: Pass, branch_id: str | None) -> bool:
    """A branch's regular: an active member most of whose stamps of the cycle under way that branch gave."""
    marks = [m.branch_id for m in pass_.cycle_stamps]
    return pass_.status is PassStatus.ACTIVE and bool(marks) and marks.count(branch_id) * 2 > len(marks)


class GoogleNotificationWindow:
    """Google's 3 notifying updates a pass in 24 hours, counted on our side before any is sent."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def take(self, customer_id: str, offer_id: str, at: datetime) -> datetime | None:
        key = {"PK": keys.pass_partition(customer_id, offer_id), "SK": "GNOTIFY"}
        day_ago = to_iso(at - _DAY)
        oldest: str | None = None
        for slot in range(NOTIFICATIONS_A_DAY):
            try:
                self._client.update_item(
                    TableName=self._table,
                    Key=to_item(key),
                    UpdateExpression="SET #slot = :at, expiresAt = :expires",
                    ConditionExpression="attribute_not_exists(#slot) OR #slot <= :dayAgo",
                    ExpressionAttributeNames={"#slot": f"n{slot}"},
                    ExpressionAttributeValues=to_item(
                        {":at": to_iso(at), ":dayAgo": day_ago, ":expires": int(at.timestamp()) + 2 * 86400}
                    ),
                    ReturnValuesOnConditionCheckFailure="ALL_OLD",
                )
            except ClientError as error:
                if not condition_failed(error):
                    raise
                old: dict[str, Any] = dict(error.response.get("Item") or {})  # type: ignore[call-overload]
                held = from_item(old).get(f"n{slot}")
                if isinstance(held, str) and (oldest is None or held < oldest):
                    oldest = held
                continue
            return None
        return parse_iso(oldest) + _DAY if oldest is not None else at + _DAY

    def hold(self, customer_id: str, offer_id: str, until: datetime, at: datetime) -> bool:
        key = {"PK": keys.pass_partition(customer_id, offer_id), "SK": "GNOTIFY"}
        try:
            self._client.update_item(
                TableName=self._table,
                Key=to_item(key),
                UpdateExpression="SET heldUntil = :until",
                ConditionExpression="attribute_not_exists(heldUntil) OR heldUntil <= :at",
                ExpressionAttributeValues=to_item({":until": to_iso(until), ":at": to_iso(at)}),
            )
        except ClientError as error:
            if condition_failed(error):
                return False
            raise
        return True
