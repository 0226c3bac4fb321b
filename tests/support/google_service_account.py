"""Throwaway Google service accounts for tests: fresh RSA keys, stored where the code reads them."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from loyalty_local.google_wallet_standin import throwaway_service_account

TEST_ISSUER_ID = "3388000000012345678"


@cache
def test_service_account() -> dict[str, str]:
    """One key for the whole session (RSA generation is the slow part); never a real account."""
    return dict(throwaway_service_account(client_email="wallet-tests@loyalty-tests.iam.gserviceaccount.com"))


def other_service_account() -> dict[str, str]:
    """A second, unrelated key: what an attacker or a misconfigured stack would sign with."""
    return dict(throwaway_service_account(client_email="someone-else@elsewhere.iam.gserviceaccount.com"))


def store_service_account(secrets_client: Any, name: str, account: dict[str, str]) -> str:
    """Put the key JSON into (moto's) Secrets Manager as an operator would; answers the secret's ARN."""
    created = secrets_client.create_secret(Name=name, SecretString=json.dumps(account))
    return str(created["ARN"])
