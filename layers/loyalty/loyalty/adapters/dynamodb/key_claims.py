"""Free-form Idempotency-Keys claimed for one request on one pass (decision 0020a): a small key item per business
and key, naming the pass and the request's fingerprint, put on condition before the pass action's own write.

The item: `KEYCLAIM#<business>#<key>` / `KEYCLAIM`, entity `KEY_CLAIM` (no stream consumer's filter takes it),
`pass` = `<customerId>#<offerId>`, `fingerprint` (the request's, whole), `expiresAt` (the table's TTL attribute) as
long as the contract keeps keys (`IDEMPOTENCY_TTL_HOURS`, 24 h). About 200 bytes: one write unit.

The put holds when the key is unclaimed, when its claim has expired (TTL deletes late, so an expired item may still
be there), or when it is held for this very request on this very pass (a retry; or a request whose pass write
never landed, which then goes on and writes). Otherwise it is refused and nothing is written: 422. Two requests
racing with one key are serialised by DynamoDB on the one key item: one claim lands, the other is refused."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item
from loyalty.app.idempotency import IdempotencyKeyReused, IdempotentRequest

ENTITY = "KEY_CLAIM"


def claim_key_of(request: IdempotentRequest) -> dict[str, str]:
    return {"PK": f"KEYCLAIM#{request.scope}#{request.key}", "SK": "KEYCLAIM"}


def claimed_pass(address: tuple[str, str]) -> str:
    return f"{address[0]}#{address[1]}"


def claim_put(
    table_name: str, address: tuple[str, str], request: IdempotentRequest, at: str, ttl_hours: int
) -> dict[str, Any]:
    """The conditional PutItem that claims `request.key` for this request on this pass."""
    now = int(time.time())
    return {
        "TableName": table_name,
        "Item": to_item(
            {
                **claim_key_of(request),
                "entity": ENTITY,
                "pass": claimed_pass(address),
                "fingerprint": request.fingerprint,
                "createdAt": at,
                "expiresAt": now + ttl_hours * 3600,
            }
        ),
        "ConditionExpression": "attribute_not_exists(PK) OR expiresAt < :now"
        " OR (#pass = :pass AND fingerprint = :fingerprint)",
        "ExpressionAttributeNames": {"#pass": "pass"},
        "ExpressionAttributeValues": to_item(
            {":now": now, ":pass": claimed_pass(address), ":fingerprint": request.fingerprint}
        ),
    }


def claim_key(
    client: Any,
    table_name: str,
    address: tuple[str, str],
    request: IdempotentRequest,
    at: str,
    ttl_hours: int,
) -> None:
    """One conditional PutItem; IdempotencyKeyReused when the key is held for another pass or request."""
    try:
        client.put_item(**claim_put(table_name, address, request, at, ttl_hours))
    except ClientError as error:
        if condition_failed(error):
            raise IdempotencyKeyReused() from error
        raise
