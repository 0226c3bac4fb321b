"""Placeholder until its issue lands: every route answers 501 with the contract's error body."""

from typing import Any

from loyalty.http.api import error_body


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    import json

    body = error_body("NOT_IMPLEMENTED", f"{event.get('routeKey', 'This route')} is not available yet.")
    return {"statusCode": 501, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
