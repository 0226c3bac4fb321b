"""The floor of a typed route: a bare Powertools handler with request validation on (pydantic and Powertools'
OpenAPI models, as every route of ours has), one path parameter, and boto3's DynamoDB client built at import."""

import os
from typing import Annotated, Any

import boto3
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.params import Path

app = APIGatewayHttpResolver(enable_validation=True)
_client = boto3.client("dynamodb")


@app.get("/items/<key>")
def item(key: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    found = _client.get_item(
        TableName=os.environ["TABLE_NAME"], Key={"PK": {"S": f"BENCH#{key}"}, "SK": {"S": "BENCH"}}
    )
    return {"found": "Item" in found}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
