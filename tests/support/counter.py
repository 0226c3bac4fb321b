"""The scanner and the customer, as HTTP clients of the local gateway (shared by the e2e suites)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import requests


class Counter:
    """A branch's scanner (or the owner's dashboard) signed in for one business."""

    def __init__(self, gateway: str, bearer: str) -> None:
        self.gateway = gateway
        self.headers = {"Authorization": f"Bearer {bearer}"}

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.gateway}{path}", headers=headers, timeout=30, **kwargs)

    def create_offer(self, stamps_required: int = 5, **fields: Any) -> str:
        body = {
            "name": "Coffee Card",
            "stampsRequired": stamps_required,
            "rewardDescription": "A free coffee",
            **fields,
        }
        response = self.call("POST", "/api/offers", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["offerId"])

    def scan(self, customer_id: str, offer_id: str, key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.call("POST", f"/api/branch-manager/scan/{customer_id}/{offer_id}", headers=headers)

    def confirm(self, customer_id: str, offer_id: str, key: str | None = None) -> requests.Response:
        headers = {"Idempotency-Key": key} if key else {}
        return self.call(
            "POST", f"/api/branch-manager/confirm-prize/{customer_id}/{offer_id}", headers=headers
        )

    def status(self, customer_id: str, offer_id: str) -> requests.Response:
        return self.call("GET", f"/api/branch-manager/passes/{customer_id}/{offer_id}")


def enroll(
    gateway: str, offer_id: str, email: str | None = None, name: str = "Jane", **extra: Any
) -> requests.Response:
    headers = extra.pop("headers", None)
    body = {"email": email or f"{uuid.uuid4().hex[:10]}@example.com", "name": name, **extra}
    return requests.post(f"{gateway}/api/offers/{offer_id}/enroll", json=body, headers=headers, timeout=30)


def mailbox(gateway: str, email: str) -> list[dict[str, Any]]:
    """What the local stack's SES sent to `email`, newest first (`GET /_local/mail`)."""
    response = requests.get(f"{gateway}/_local/mail", params={"to": email}, timeout=30)
    assert response.status_code == 200, response.text
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def recovery_token(gateway: str, email: str) -> str:
    """The token of the newest recovery link mailed to `email`, read from the link in the mail's text."""
    messages = mailbox(gateway, email)
    assert messages, f"no mail was sent to {email}"
    found = re.search(r"/pass/recover\?token=([A-Za-z0-9_-]+)", messages[0]["text"])
    assert found, messages[0]["text"]
    return found.group(1)


def recover(gateway: str, token: str) -> requests.Response:
    return requests.post(f"{gateway}/api/passes/recover", json={"token": token}, timeout=30)


def expire_pass(stack: Any, customer_id: str, offer_id: str) -> None:
    """The weekly job's outcome for one pass, written as the job writes it (status, version, out of GSI1)."""
    stack.client("dynamodb").update_item(
        TableName=stack.config.table_name,
        Key={"PK": {"S": f"PASS#{customer_id}#{offer_id}"}, "SK": {"S": "PASS"}},
        UpdateExpression="SET #s = :expired, version = version + :one REMOVE GSI1PK, GSI1SK",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":expired": {"S": "EXPIRED"}, ":one": {"N": "1"}},
    )
