"""Acting as the Google service account: the key from Secrets Manager, OAuth tokens, the save link."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import boto3
import httpx
import jwt
import pytest
from aws_lambda_powertools.utilities.parameters import SecretsProvider
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from moto import mock_aws

from loyalty.adapters.google.oauth import (
    JWT_BEARER_GRANT,
    WALLET_SCOPE,
    ServiceAccountTokens,
    TokenGrantError,
)
from loyalty.adapters.google.save_link import GoogleWalletLinks
from loyalty.adapters.google.service_account import ServiceAccountError, parse_service_account
from loyalty.adapters.http import new_client
from loyalty.adapters.secrets import ParsedSecret, SecretSource
from loyalty.settings import GoogleWalletSettings
from tests.support.google_service_account import TEST_ISSUER_ID, store_service_account, throwaway_account

TOKEN_URL = "https://oauth2.example.test/token"


def public_key():
    key = load_pem_private_key(throwaway_account()["private_key"].encode(), password=None)
    return key.public_key()


class FrozenClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now


class TokenEndpoint:
    """Answers the grant as Google does and keeps what it was sent."""

    def __init__(self, status: int = 200, expires_in: int = 3600) -> None:
        self.status = status
        self.expires_in = expires_in
        self.grants: list[dict[str, str]] = []

    def answer(self, request: httpx.Request) -> httpx.Response:
        assert str(request.url) == TOKEN_URL
        data = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.grants.append(data)
        body = (
            {
                "access_token": f"token-{len(self.grants)}",
                "expires_in": self.expires_in,
                "token_type": "Bearer",
            }
            if self.status == 200
            else {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
        )
        return httpx.Response(self.status, json=body)


def tokens(endpoint: TokenEndpoint, clock: FrozenClock) -> ServiceAccountTokens:
    account = parse_service_account(json.dumps(throwaway_account()))
    http = new_client(connect_seconds=1, read_seconds=1, transport=httpx.MockTransport(endpoint.answer))
    return ServiceAccountTokens(lambda: account, TOKEN_URL, http, clock=clock)


def test_grant_assertion_is_what_google_requires() -> None:
    endpoint, clock = TokenEndpoint(), FrozenClock()
    assert tokens(endpoint, clock).bearer() == "token-1"
    (grant,) = endpoint.grants
    assert grant["grant_type"] == JWT_BEARER_GRANT
    claims = jwt.decode(grant["assertion"], public_key(), algorithms=["RS256"], audience=TOKEN_URL)
    assert claims["iss"] == throwaway_account()["client_email"]
    assert claims["scope"] == WALLET_SCOPE
    assert claims["iat"] == int(clock.now.timestamp())
    assert 0 < claims["exp"] - claims["iat"] <= 3600
    assert jwt.get_unverified_header(grant["assertion"])["kid"] == throwaway_account()["private_key_id"]


def test_token_is_reused_until_near_expiry_then_renewed() -> None:
    endpoint, clock = TokenEndpoint(expires_in=3600), FrozenClock()
    source = tokens(endpoint, clock)
    assert source.bearer() == "token-1"
    clock.now += timedelta(minutes=50)
    assert source.bearer() == "token-1"
    assert len(endpoint.grants) == 1
    clock.now += timedelta(minutes=6)  # 4 minutes left: too close to send a request with
    assert source.bearer() == "token-2"
    assert len(endpoint.grants) == 2


def test_a_rejected_token_is_forgotten_and_replaced() -> None:
    endpoint, clock = TokenEndpoint(), FrozenClock()
    source = tokens(endpoint, clock)
    source.forget(source.bearer())
    assert source.bearer() == "token-2"
    source.forget("some-older-token")  # a stale rejection does not throw away the fresh token
    assert source.bearer() == "token-2"


def test_refused_grant_is_an_error_without_the_key() -> None:
    with pytest.raises(TokenGrantError) as failure:
        tokens(TokenEndpoint(status=400), FrozenClock()).bearer()
    assert failure.value.status == 400
    assert "PRIVATE KEY" not in str(failure.value)


def test_save_link_carries_the_object_id_and_its_class_id() -> None:
    account = parse_service_account(json.dumps(throwaway_account()))
    clock = FrozenClock()
    links = GoogleWalletLinks(TEST_ISSUER_ID, lambda: account, "https://pay.google.com/gp/v/save/", clock)
    url = links.save_url("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "off_bbbbbbbbbbbbbbbbbbbbbbbbbb")
    prefix, _, token = url.rpartition("/")
    assert prefix == "https://pay.google.com/gp/v/save"
    assert len(url) < 1800
    claims = jwt.decode(token, public_key(), algorithms=["RS256"], audience="google")
    assert claims == {
        "iss": throwaway_account()["client_email"],
        "aud": "google",
        "typ": "savetowallet",
        "iat": int(clock.now.timestamp()),
        "origins": [],
        "payload": {
            "loyaltyObjects": [
                {
                    "id": f"{TEST_ISSUER_ID}.cus_aaaaaaaaaaaaaaaaaaaaaaaaaa-off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
                    "classId": f"{TEST_ISSUER_ID}.off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
                }
            ]
        },
    }


@mock_aws
def test_key_is_read_from_secrets_manager_once_per_max_age_and_never_shown() -> None:
    client = boto3.client("secretsmanager", region_name="us-east-1")
    arn = store_service_account(client, "loyalty/google-wallet", throwaway_account())
    calls = []
    original = client.get_secret_value

    def counted(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    client.get_secret_value = counted
    source = ParsedSecret(
        SecretSource(SecretsProvider(boto3_client=client), max_age_seconds=300), arn, parse_service_account
    )
    first, second = source(), source()
    assert first is second
    assert len(calls) == 1
    assert first.client_email == throwaway_account()["client_email"]
    assert "PRIVATE" not in repr(first)
    assert "private_key=" not in repr(first)


def test_unusable_key_json_is_reported_without_its_content(caplog: pytest.LogCaptureFixture) -> None:
    broken = dict(throwaway_account(), private_key="-----BEGIN PRIVATE KEY-----\nnot-a-key\n")
    with caplog.at_level(logging.DEBUG), pytest.raises(ServiceAccountError) as failure:
        parse_service_account(json.dumps(broken))
    assert "not-a-key" not in str(failure.value)
    with pytest.raises(ServiceAccountError):
        parse_service_account("{not json")


def test_settings_demand_what_google_needs_once_an_issuer_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("GOOGLE_WALLET_")]:
        monkeypatch.delenv(name)  # a local stack started in this session points them at its stand-in
    assert not GoogleWalletSettings.from_environment(os.environ).enabled
    monkeypatch.setenv("GOOGLE_WALLET_ISSUER_ID", TEST_ISSUER_ID)
    with pytest.raises(ValueError, match="GOOGLE_WALLET_PROGRAM_LOGO_URL"):
        GoogleWalletSettings.from_environment(os.environ)
    monkeypatch.setenv("GOOGLE_WALLET_SERVICE_ACCOUNT_SECRET_ID", "loyalty/google-wallet")
    monkeypatch.setenv("GOOGLE_WALLET_ISSUER_NAME", "Stamp Card")
    monkeypatch.setenv("GOOGLE_WALLET_PROGRAM_LOGO_URL", "https://assets.example.com/logo.png")
    settings = GoogleWalletSettings.from_environment(os.environ)
    assert settings.enabled
    assert settings.api_base_url == "https://walletobjects.googleapis.com/walletobjects/v1"
    assert settings.token_url == "https://oauth2.googleapis.com/token"
