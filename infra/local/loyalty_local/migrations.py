"""Data kept in `.local/` by an older checkout, brought up to the current key layout when `make run` starts."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import to_item


def backfill_offer_passes_index(client: Any, table_name: str) -> int:
    """Passes written before GSI3 existed get its keys, so a ladder change redraws their wallets too; the number
    of passes given them (0 once done: the scan then only filters)."""
    backfilled = 0
    for page in client.get_paginator("scan").paginate(
        TableName=table_name,
        FilterExpression="entity = :pass AND attribute_not_exists(GSI3PK)",
        ProjectionExpression="PK, SK, customerId, offerId",
        ExpressionAttributeValues={":pass": {"S": "PASS"}},
    ):
        for item in page.get("Items", []):
            index_keys = keys.offer_passes_keys(item["customerId"]["S"], item["offerId"]["S"])
            client.update_item(
                TableName=table_name,
                Key={"PK": item["PK"], "SK": item["SK"]},
                UpdateExpression="SET GSI3PK = :pk, GSI3SK = :sk",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=to_item({":pk": index_keys["GSI3PK"], ":sk": index_keys["GSI3SK"]}),
            )
            backfilled += 1
    return backfilled


def backfill_members_index(client: Any, table_name: str) -> int:
    """Passes written before GSI4 existed get its keys, so the members list shows them too; the number of passes
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
