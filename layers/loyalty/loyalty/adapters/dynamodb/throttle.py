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

    def check_spread(
        self,
        each: tuple[str, str, RateLimit],
        among: tuple[str, str, RateLimit],
        now: datetime,
    ) -> None:
        """Count one request of `each`'s subject (an address) within its own limit, and its subject, the first
        time in a window only, among `among`'s (an offer, a pass): `among` limits how many *different* subjects
        a window takes, so a handful of them, however busy, can never fill it for the next one."""
        scope, subject, rate = each
        hits = self.check(scope, subject, rate, now)
        if hits == 1:
            self.check(*among, now)

    def check(self, scope: str, subject: str, rate: RateLimit, now: datetime) -> int:
        """Count one request of `subject` (an address, an offer id: stored only as a digest), or raise
        TooManyRequests when its window is already full; answers the window's count with this request."""
        start = rate.window_start(now)
        digest = hashlib.sha256(subject.encode()).hexdigest()[:32]
        try:
            answer = self.client.update_item(
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
                ReturnValues="UPDATED_NEW",
            )
        except ClientError as error:
            if condition_failed(error):
                raise TooManyRequests(rate.retry_after(now)) from error
            raise
        return int(answer["Attributes"]["hits"]["N"])
