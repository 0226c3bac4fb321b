"""Passes in DynamoDB: one consistent read of everything a change depends on, then one transaction whose
conditions re-check what was read (the pass version), carrying the audit event and the idempotency record."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    batch_get,
    cancellation_codes,
    from_item,
    is_condition_failed,
    is_transaction_cancelled,
    to_item,
)
from loyalty.adapters.dynamodb.idempotency import IdempotentRequest, StoredAnswer, is_live, record_put, replay
from loyalty.adapters.dynamodb.stats import tally_writes
from loyalty.domain.offers import DEFAULT_TIMEZONE
from loyalty.domain.passes import Pass, PassStatus, StampMark
from loyalty.domain.stats import local_day, tally


class WriteConflict(Exception):
    """Something the change was based on moved (another scan, a retry with the same key): read again."""


def conflict_backoff(attempt: int) -> None:
    """A short, jittered pause before reading again, so contending writers spread out."""
    time.sleep(random.uniform(0, min(0.05, 0.002 * 2**attempt)))  # noqa: S311 - jitter, not security


def pass_to_item(card: Pass) -> dict[str, Any]:
    values: dict[str, Any] = {
        **keys.pass_key(card.customer_id, card.offer_id),
        "entity": "PASS",
        "customerId": card.customer_id,
        "offerId": card.offer_id,
        "businessId": card.business_id,
        "passSerial": card.pass_serial,
        "authToken": card.auth_token,
        "status": card.status.value,
        "currentStamps": card.current_stamps,
        "stampsRequired": card.stamps_required,
        "rewardsClaimed": card.rewards_claimed,
        "lifetimeStamps": card.lifetime_stamps,
        "memberSince": card.member_since,
        "lastActivityAt": card.last_activity_at,
        "createdAt": card.created_at,
        "updatedAt": card.updated_at,
        "version": card.version,
        "email": card.email,
        "customerName": card.customer_name,
        "preferredLanguage": card.preferred_language,
        "expiredAt": card.expired_at,
        "cycleStamps": [{"at": mark.at, "branchId": mark.branch_id} for mark in card.cycle_stamps],
        "lastStampAt": card.last_stamp_at,
        **keys.offer_passes_keys(card.customer_id, card.offer_id),
        **keys.members_keys(card.customer_id, card.offer_id, card.member_since),
    }
    if card.status is PassStatus.ACTIVE:
        values.update(keys.activity_index_keys(card.customer_id, card.offer_id, card.last_activity_at))
    return to_item(values)


def pass_from_plain(item: dict[str, Any]) -> Pass:
    return Pass(
        customer_id=item["customerId"],
        offer_id=item["offerId"],
        business_id=item["businessId"],
        pass_serial=item["passSerial"],
        auth_token=item["authToken"],
        status=PassStatus(item["status"]),
        current_stamps=int(item["currentStamps"]),
        stamps_required=int(item["stampsRequired"]),
        rewards_claimed=int(item["rewardsClaimed"]),
        lifetime_stamps=int(item["lifetimeStamps"]),
        member_since=item["memberSince"],
        last_activity_at=item["lastActivityAt"],
        created_at=item["createdAt"],
        updated_at=item["updatedAt"],
        version=int(item["version"]),
        email=item.get("email", ""),
        customer_name=item.get("customerName", ""),
        preferred_language=item.get("preferredLanguage", "en"),
        expired_at=item.get("expiredAt"),
        cycle_stamps=tuple(
            StampMark(mark["at"], mark.get("branchId")) for mark in item.get("cycleStamps", [])
        ),
        last_stamp_at=item.get("lastStampAt"),
    )


@dataclass(frozen=True)
class PassEvent:
    """The audit trail of a pass: who did what, where, when, and the counts it left."""

    kind: str  # ENROLL, REACTIVATE, STAMP, VOID, PRIZE, EXPIRE, ERASE
    actor: str
    branch_id: str | None
    at: str
    result: Pass
    idempotency_key: str | None = None
    reason: str | None = None

    def item(self) -> dict[str, Any]:
        event_id = uuid.uuid4().hex
        return to_item(
            {
                "PK": keys.pass_partition(self.result.customer_id, self.result.offer_id),
                "SK": keys.pass_event_sort(self.at, event_id),
                "entity": "PASS_EVENT",
                "eventId": event_id,
                "kind": self.kind,
                "actor": self.actor,
                "branchId": self.branch_id,
                "at": self.at,
                "businessId": self.result.business_id,
                "currentStamps": self.result.current_stamps,
                "rewardsClaimed": self.result.rewards_claimed,
                "lifetimeStamps": self.result.lifetime_stamps,
                "idempotencyKey": self.idempotency_key,
                "reason": self.reason,
            }
        )


@dataclass
class Snapshot:
    """What one consistent BatchGetItem saw."""

    card: Pass | None = None
    offer_item: dict[str, Any] | None = None
    customer_item: dict[str, Any] | None = None
    stored_answer_record: dict[str, Any] | None = None


@dataclass
class PassChange:
    """One atomic change: the pass as it becomes (and the version it must still be at), its audit event, the
    answer to remember for the idempotency key, and any other items that must be written with it."""

    card: Pass
    expected_version: int | None  # None: the pass must not exist yet
    event: PassEvent
    answer: StoredAnswer
    request: IdempotentRequest | None = None
    also: list[dict[str, Any]] = field(default_factory=list)
    # What the stats count (docs/decisions/0001-stats-counters.md): the pass before the change and the day it
    # falls on in the offer's time zone.
    before: Pass | None = None
    timezone: str = DEFAULT_TIMEZONE
    tier_upgrade: bool = False
    # A stamp under a cooldown: the write holds only while the pass's last stamp is at or before this moment.
    last_stamp_not_after: str | None = None


class PassStore:
    def __init__(self, client: Any, table_name: str, idempotency_ttl_hours: int = 24) -> None:
        self.client = client
        self.table_name = table_name
        self.idempotency_ttl_hours = idempotency_ttl_hours

    def snapshot(
        self,
        *,
        pass_key: tuple[str, str] | None = None,
        offer_id: str | None = None,
        customer_key: dict[str, str] | None = None,
        request: IdempotentRequest | None = None,
    ) -> Snapshot:
        """One strongly consistent BatchGetItem of whatever the caller names."""
        wanted: dict[str, dict[str, str]] = {}
        if pass_key:
            wanted["pass"] = keys.pass_key(*pass_key)
        if offer_id:
            wanted["offer"] = keys.offer_key(offer_id)
        if customer_key:
            wanted["customer"] = customer_key
        if request:
            wanted["answer"] = request.item_key
        found = self._batch_get(list(wanted.values()))
        snap = Snapshot()
        for role, key in wanted.items():
            item = found.get((key["PK"], key["SK"]))
            if item is None:
                continue
            if role == "pass":
                snap.card = pass_from_plain(item)
            elif role == "offer":
                snap.offer_item = item
            elif role == "customer":
                snap.customer_item = item
            elif is_live(item):
                snap.stored_answer_record = item
        return snap

    def _batch_get(self, wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(item["PK"], item["SK"]): item for item in batch_get(self.client, self.table_name, wanted)}

    def get_pass(self, customer_id: str, offer_id: str) -> Pass | None:
        return self.snapshot(pass_key=(customer_id, offer_id)).card

    def events(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a pass's audit events, newest first (one Query), and the sort key to continue after."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :events)",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.pass_partition(customer_id, offer_id)},
                ":events": {"S": "EVENT#"},
            },
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after_sort is not None:
            request["ExclusiveStartKey"] = {
                "PK": {"S": keys.pass_partition(customer_id, offer_id)},
                "SK": {"S": after_sort},
            }
        answer = self.client.query(**request)
        last = answer.get("LastEvaluatedKey")
        return [from_item(item) for item in answer.get("Items", [])], last["SK"]["S"] if last else None

    def remember(self, request: IdempotentRequest, answer: StoredAnswer, at: str) -> StoredAnswer:
        """Store a refusal as the key's first answer (one conditional PutItem), so that a retry gets the same
        refusal rather than whatever the pass would allow by then; the answer to give (a concurrent request
        with the same key may have stored its own first)."""
        put = record_put(self.table_name, request, answer, at, self.idempotency_ttl_hours)["Put"]
        try:
            self.client.put_item(**put)
        except ClientError as error:
            if not is_condition_failed(error):
                raise
            stored = self.snapshot(request=request).stored_answer_record
            if stored is None:
                raise WriteConflict() from error
            return replay(request, stored)
        return answer

    def commit(self, change: PassChange) -> None:
        """Write the change atomically, or raise WriteConflict when anything it was based on has moved."""
        if change.expected_version is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(PK)"}
        else:
            condition = {
                "ConditionExpression": "#version = :expected",
                "ExpressionAttributeNames": {"#version": "version"},
                "ExpressionAttributeValues": {":expected": {"N": str(change.expected_version)}},
            }
            if change.last_stamp_not_after is not None:
                condition["ConditionExpression"] += (
                    " AND (attribute_not_exists(lastStampAt) OR lastStampAt <= :lastStampNotAfter)"
                )
                condition["ExpressionAttributeValues"][":lastStampNotAfter"] = {
                    "S": change.last_stamp_not_after
                }
        items: list[dict[str, Any]] = [
            {"Put": {"TableName": self.table_name, "Item": pass_to_item(change.card), **condition}},
            {"Put": {"TableName": self.table_name, "Item": change.event.item()}},
        ]
        if change.request is not None:
            items.append(
                record_put(
                    self.table_name,
                    change.request,
                    change.answer,
                    change.event.at,
                    self.idempotency_ttl_hours,
                )
            )
        items.extend(change.also)
        items.extend(self._tally(change))
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if is_transaction_cancelled(error) and any(
                code in ("ConditionalCheckFailed", "TransactionConflict")
                for code in cancellation_codes(error)
            ):
                raise WriteConflict() from error
            if error.response.get("Error", {}).get("Code") == "TransactionConflictException":
                raise WriteConflict() from error
            raise

    def _tally(self, change: PassChange) -> list[dict[str, Any]]:
        card, event = change.card, change.event
        counted = tally(event.kind, change.before, card, tier_upgrade=change.tier_upgrade)
        day = local_day(event.at, change.timezone)
        return tally_writes(self.table_name, card.offer_id, card.customer_id, day, event.branch_id, counted)


def default_pass_store() -> PassStore:
    """The store of this container (one client, settings read once)."""
    from loyalty.adapters.aws_clients import client
    from loyalty.settings import get_settings

    settings = get_settings()
    return PassStore(client("dynamodb"), settings.table_name, settings.idempotency_ttl_hours)
