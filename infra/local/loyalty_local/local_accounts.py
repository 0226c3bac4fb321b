"""What `loyalty-local token` (and the tests' tokens) may rely on: the business a token names exists (the local
stack creates it, named after its id, when it does not), and so does the branch a manager's token names (tests
and scripts name their own). People who sign in through Cognito create theirs through the API."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.businesses import branch_key, business_key
from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item

_made: set[tuple[str, str, str | None]] = set()
_lock = threading.Lock()


def _put_new(ddb: Any, table: str, item: dict[str, Any]) -> None:
    try:
        ddb.put_item(TableName=table, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")
    except ClientError as error:
        if not condition_failed(error):
            raise


def ensure_business(ddb: Any, table: str, business_id: str, branch_id: str | None = None) -> None:
    """The business (and the branch) a tool-made token names, created if missing; an existing one is untouched."""
    with _lock:
        if (table, business_id, branch_id) in _made:
            return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _put_new(
        ddb,
        table,
        {
            **business_key(business_id),
            "businessId": business_id,
            "name": business_id,
            "timezone": "UTC",
            "defaultLanguage": "en",
            "createdAt": now,
            "ownerId": "local-token",
            "owners": 1,
        },
    )
    if branch_id:
        _put_new(
            ddb,
            table,
            {
                **branch_key(business_id, branch_id),
                "branchId": branch_id,
                "businessId": business_id,
                "name": branch_id,
                "status": "ACTIVE",
            },
        )
    with _lock:
        _made.add((table, business_id, branch_id))
