"""People signing up, in and out through the local stack's Cognito (the calls the web apps make), for e2e tests."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from typing import Any

import boto3
import requests

from loyalty_local.cloud.cognito import FRONT_PATH

PASSWORD = "Correct-horse-42x"


def cognito_client(gateway: str) -> Any:
    return boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=gateway + FRONT_PATH.rstrip("/"))


def new_email(who: str = "owner") -> str:
    return f"{who}.{uuid.uuid4().hex[:10]}@example.com"


def mail_matching(gateway: str, to: str, subject_word: str, pattern: str) -> str:
    """The first group of `pattern` in the newest mail to `to` whose subject has `subject_word`."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        messages = requests.get(f"{gateway}/_local/mail", params={"to": to}, timeout=10).json()["messages"]
        for message in messages:
            if subject_word in message["subject"].lower():
                found = re.search(pattern, message["text"])
                assert found, message
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no {subject_word} mail for {to}")


@dataclass
class Account:
    """One signed-in person: their current tokens, refreshed as the web apps refresh them."""

    gateway: str
    client_id: str
    email: str
    id_token: str
    access_token: str
    refresh_token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.id_token}"}

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.gateway}{path}", headers=self.headers, timeout=30, **kwargs)

    def refresh(self) -> None:
        answer = cognito_client(self.gateway).initiate_auth(
            ClientId=self.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": self.refresh_token},
        )["AuthenticationResult"]
        self.id_token, self.access_token = answer["IdToken"], answer["AccessToken"]


def _signed_in(gateway: str, client_id: str, email: str, result: dict[str, Any]) -> Account:
    return Account(
        gateway, client_id, email, result["IdToken"], result["AccessToken"], result["RefreshToken"]
    )


def sign_up(gateway: str, client_id: str, email: str | None = None) -> Account:
    """A new account: signed up, the mailed code confirmed, signed in."""
    cognito = cognito_client(gateway)
    email = email or new_email()
    cognito.sign_up(ClientId=client_id, Username=email, Password=PASSWORD)
    code = mail_matching(gateway, email, "verification", r"\b(\d{6})\b")
    cognito.confirm_sign_up(ClientId=client_id, Username=email, ConfirmationCode=code)
    return sign_in(gateway, client_id, email, PASSWORD)


def sign_in(gateway: str, client_id: str, email: str, password: str) -> Account:
    answer = cognito_client(gateway).initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )
    return _signed_in(gateway, client_id, email, answer["AuthenticationResult"])


def accept_invitation(gateway: str, client_id: str, email: str) -> Account:
    """An invited person's first sign-in: the mailed temporary password, then their own."""
    cognito = cognito_client(gateway)
    temporary = mail_matching(gateway, email, "invitation", r"temporary password (\S+) ")
    challenge = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": temporary},
    )
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=challenge["Session"],
        ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": PASSWORD},
    )
    return _signed_in(gateway, client_id, email, done["AuthenticationResult"])
