"""The yardstick for a scan: a bare Powertools handler doing one UpdateItem (an unconditional counter bump)."""

import os
from typing import Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

app = APIGatewayHttpResolver()
_client = boto3.client("dynamodb")


@app.post("/bump/<key>")
def bump(key: str) -> dict[str, Any]:
    result = _client.update_item(
        TableName=os.environ["TABLE_NAME"],
        Key={"PK": {"S": f"BENCH#{key}"}, "SK": {"S": "BENCH"}},
        UpdateExpression="ADD hits :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="UPDATED_NEW",
    )
    return {"hits": int(result["Attributes"]["hits"]["N"])}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
