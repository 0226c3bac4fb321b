"""Idempotency records in the table: a request's first answer, written in the same transaction as the change it
answers (`loyalty.app.idempotency` says what they mean), kept 24 h by default and then left to TTL."""

from __future__ import annotations

import json
import time
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.app.idempotency import IdempotentRequest, RememberedAnswer, StoredAnswer


def record_key(request: IdempotentRequest) -> keys.Key:
    return keys.idempotency_key(request.scope, request.key)


def is_live(record: dict[str, Any]) -> bool:
    return int(record.get("expiresAt", 0)) >= int(time.time())


def remembered_from_item(record: dict[str, Any]) -> RememberedAnswer:
    return RememberedAnswer(
        str(record.get("fingerprint")), StoredAnswer(int(record["status"]), json.loads(record["body"]))
    )


def record_put(
    table_name: str, request: IdempotentRequest, answer: StoredAnswer, at: str, ttl_hours: int
) -> dict[str, Any]:
    """The TransactWriteItems element that stores `answer` (fails if the key was taken meanwhile)."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": to_item(
                {
                    **record_key(request),
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
