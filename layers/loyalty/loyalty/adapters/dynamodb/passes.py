"""Passes in DynamoDB: one consistent read of everything a change depends on, then one transaction whose
conditions re-check what was read (the pass version), carrying the audit event and the idempotency record."""

from __future__ import annotations

import uuid
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    batch_get,
    condition_failed,
    from_item,
    to_item,
)
from loyalty.adapters.dynamodb.idempotency import is_live, record_key, record_put, remembered_from_item
from loyalty.adapters.dynamodb.issuances import issuance_put
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.stats import tally_writes
from loyalty.app.idempotency import IdempotentRequest, StoredAnswer, replay
from loyalty.app.ports import NewCustomer, PassChange, PassEvent, Snapshot, WriteConflict
from loyalty.domain.passes import Pass, PassStatus, StampMark
from loyalty.domain.stats import local_day, tally


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


def pass_event_item(event: PassEvent) -> dict[str, Any]:
    """The audit record of a pass change, under the pass's partition."""
    event_id = uuid.uuid4().hex
    return to_item(
        {
            "PK": keys.pass_partition(event.result.customer_id, event.result.offer_id),
            "SK": keys.pass_event_sort(event.at, event_id),
            "entity": "PASS_EVENT",
            "eventId": event_id,
            "kind": event.kind,
            "actor": event.actor,
            "branchId": event.branch_id,
            "at": event.at,
            "businessId": event.result.business_id,
            "currentStamps": event.result.current_stamps,
            "rewardsClaimed": event.result.rewards_claimed,
            "lifetimeStamps": event.result.lifetime_stamps,
            "idempotencyKey": event.idempotency_key,
            "reason": event.reason,
        }
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
        customer_of: tuple[str, str] | None = None,
        request: IdempotentRequest | None = None,
    ) -> Snapshot:
        """One strongly consistent BatchGetItem of whatever the caller names."""
        wanted: dict[str, dict[str, str]] = {}
        if pass_key:
            wanted["pass"] = keys.pass_key(*pass_key)
        if offer_id:
            wanted["offer"] = keys.offer_key(offer_id)
        if customer_of:
            wanted["customer"] = keys.customer_key(*customer_of)
        if request:
            wanted["answer"] = record_key(request)
        found = self._batch_get(list(wanted.values()))
        seen = {role: found.get((key["PK"], key["SK"])) for role, key in wanted.items()}
        pass_item, offer_item = seen.get("pass"), seen.get("offer")
        customer_item, answer_item = seen.get("customer"), seen.get("answer")
        return Snapshot(
            card=pass_from_plain(pass_item) if pass_item else None,
            offer=offer_from_item(offer_item) if offer_item else None,
            customer_id=str(customer_item["customerId"]) if customer_item else None,
            remembered=remembered_from_item(answer_item) if answer_item and is_live(answer_item) else None,
        )

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
            if not condition_failed(error):
                raise
            stored = self.snapshot(request=request).remembered
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
            {"Put": {"TableName": self.table_name, "Item": pass_event_item(change.event)}},
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
        if change.new_customer is not None:
            items.append(customer_put(self.table_name, change.new_customer))
        if change.issuance is not None:
            started = change.issuance
            items.append(issuance_put(self.table_name, started.issuance, started.recipient_email))
        items.extend(self._tally(change))
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if condition_failed(error, or_conflict=True):
                raise WriteConflict() from error
            raise

    def _tally(self, change: PassChange) -> list[dict[str, Any]]:
        card, event = change.card, change.event
        counted = tally(event.kind, change.before, card, tier_upgrade=change.tier_upgrade)
        day = local_day(event.at, change.timezone)
        return tally_writes(self.table_name, card.offer_id, card.customer_id, day, event.branch_id, counted)
