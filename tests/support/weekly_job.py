"""The weekly expiry job's own write for one pass of the local stack, as if the pass had been idle past the cutoff:
for e2e tests of what follows an expiry (the Google object, reactivation at the counter)."""

from __future__ import annotations

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.app.ports.expiry import ExpiryOutcome, IdlePass
from loyalty.domain.expiry import activity_week
from loyalty_local.cloud.stack import LocalStack


def expired_by_the_weekly_job(stack: LocalStack, customer_id: str, offer_id: str) -> None:
    client = stack.client("dynamodb")
    table = stack.config.table_name
    item = from_item(
        client.get_item(
            TableName=table,
            Key={name: {"S": value} for name, value in keys.pass_key(customer_id, offer_id).items()},
        )["Item"]
    )
    idle = IdlePass(customer_id, offer_id, activity_week(item["lastActivityAt"]))
    outcome = ActivityIndex(client, table).expire(
        idle, "2099-01-01T00:00:00.000Z", "2099-01-01T00:00:00.000Z"
    )
    assert outcome is ExpiryOutcome.EXPIRED
