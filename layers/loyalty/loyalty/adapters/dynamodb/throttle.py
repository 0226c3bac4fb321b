"""Rate-limit counters in the table: one conditional UpdateItem per check, atomic across every container.

The counter of a window is created by its first request and counts up while below the limit; the write that
would pass the limit is refused by its condition, so a flood costs one refused write a request and no counter
ever grows past its limit. DynamoDB's TTL drops a window's counter a little after it ends.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item
from loyalty.domain.throttle import RateLimit, TooManyRequests

# TTL deletion runs late (up to days); expired windows are never read again anyway, only their key is new.
_KEPT_AFTER_WINDOW_SECONDS = 300


class ThrottleCounters:
    def __init__(self, client: Any, table_name: str) -> None:
        self.client = client
        self.table_name = table_name

    def check(self, scope: str, subject: str, rate: RateLimit, now: datetime) -> None:
        """Count one request of `subject` (an address, an offer id: stored only as a digest), or raise
        TooManyRequests when its window is already full."""
        start = rate.window_start(now)
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.throttle_key(scope, digest, start)),
                UpdateExpression="SET #entity = :entity, #ttl = :ttl ADD #hits :one",
                ConditionExpression="attribute_not_exists(#hits) OR #hits < :limit",
                ExpressionAttributeNames={"#entity": "entity", "#ttl": "expiresAt", "#hits": "hits"},
                ExpressionAttributeValues={
                    ":entity": {"S": "THROTTLE"},
                    ":ttl": {"N": str(start + rate.window_seconds + _KEPT_AFTER_WINDOW_SECONDS)},
                    ":one": {"N": "1"},
                    ":limit": {"N": str(rate.limit)},
                },
            )
        except ClientError as error:
            if condition_failed(error):
                raise TooManyRequests(rate.retry_after(now)) from error
            raise
