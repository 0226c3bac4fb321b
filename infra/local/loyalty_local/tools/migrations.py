"""Data kept in `.local/` by an older checkout, brought up to the current key layout when `make run` starts."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item


def backfill_members_index(client: Any, table_name: str) -> int:
    """Passes written before GSI4 existed get its keys, so the members list shows them too (and a ladder change
    redraws their wallets: the refresh lists an offer's passes from that index); the number of passes
    given them (0 once done)."""
    backfilled = 0
    for page in client.get_paginator("scan").paginate(
        TableName=table_name,
        FilterExpression="entity = :pass AND attribute_not_exists(GSI4PK)",
        ProjectionExpression="PK, SK, customerId, offerId, memberSince",
        ExpressionAttributeValues={":pass": {"S": "PASS"}},
    ):
        for item in page.get("Items", []):
            index_keys = keys.members_keys(
                item["customerId"]["S"], item["offerId"]["S"], item["memberSince"]["S"]
            )
            client.update_item(
                TableName=table_name,
                Key={"PK": item["PK"], "SK": item["SK"]},
                UpdateExpression="SET GSI4PK = :pk, GSI4SK = :sk",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=to_item({":pk": index_keys["GSI4PK"], ":sk": index_keys["GSI4SK"]}),
            )
            backfilled += 1
    return backfilled
