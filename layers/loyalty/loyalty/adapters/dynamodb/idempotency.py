"""Idempotency records: the first answer to a request carrying an Idempotency-Key, written in the same
transaction as the change it answers, so a retry gets that answer and changes nothing."""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.domain.errors import DomainError, FieldError


class IdempotencyKeyReused(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used for a different request.",
            code="IDEMPOTENCY_KEY_REUSED",
            status=422,
            details=[FieldError("Idempotency-Key", "already used for a different request")],
        )


@dataclass(frozen=True)
class IdempotentRequest:
    scope: str
    key: str
    fingerprint: str

    @classmethod
    def of(cls, scope: str, key: str, operation: str, payload: Any) -> IdempotentRequest:
        canonical = json.dumps(
            [operation, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return cls(scope, key, hashlib.sha256(canonical.encode()).hexdigest())

    @property
    def item_key(self) -> dict[str, str]:
        return keys.idempotency_key(self.scope, self.key)


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: dict[str, Any]
    # Sent with the first answer only (a Retry-After is stale by the time a retry replays it); never stored.
    headers: dict[str, str] = field(default_factory=dict)


def is_live(record: dict[str, Any]) -> bool:
    return int(record.get("expiresAt", 0)) >= int(time.time())


def replay(request: IdempotentRequest, record: dict[str, Any]) -> StoredAnswer:
    """The stored answer for a retry, or IdempotencyKeyReused when the key came with another request."""
    if record.get("fingerprint") != request.fingerprint:
        raise IdempotencyKeyReused()
    return StoredAnswer(int(record["status"]), json.loads(record["body"]))


def record_put(
    table_name: str, request: IdempotentRequest, answer: StoredAnswer, at: str, ttl_hours: int
) -> dict[str, Any]:
    """The TransactWriteItems element that stores `answer` (fails if the key was taken meanwhile)."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": to_item(
                {
                    **request.item_key,
                    "entity": "IDEMPOTENCY",
                    "fingerprint": request.fingerprint,
                    "status": answer.status,
                    "body": json.dumps(answer.body, ensure_ascii=False, separators=(",", ":")),
                    "createdAt": at,
                    "expiresAt": int(time.time()) + ttl_hours * 3600,
                }
            ),
            # An expired record may linger until TTL deletes it; it no longer holds the key.
            "ConditionExpression": "attribute_not_exists(PK) OR expiresAt < :now",
            "ExpressionAttributeValues": {":now": {"N": str(int(time.time()))}},
        }
    }
