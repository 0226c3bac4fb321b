"""Rotating a secret in Secrets Manager (moto) reaches a running container once the max age has passed, with no
new process: the AIR Kit partner keys, the Apple pass certificate, the Google service account."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parameters import SecretsProvider
from moto import mock_aws

from loyalty.adapters.airkit.partner_keys import keyring_from_secret
from loyalty.adapters.apple.credentials import parse_pass_signing
from loyalty.adapters.google.service_account import parse_service_account
from loyalty.adapters.secrets import ParsedSecret, SecretSource, SecretUnusable
from loyalty.settings import Settings
from loyalty_local.standins.airkit import new_private_pem
from tests.support.google_service_account import other_service_account, throwaway_account
from tests.support.wallet_certs import make_chain

pytestmark = pytest.mark.integration

MAX_AGE_SECONDS = 1


@dataclass(frozen=True)
class Rotation:
    """A secret before and after its rotation, and what a reader of it notices."""

    name: str
    before: str
    after: str
    parse: Callable[[str], Any]
    seen: Callable[[Any], object]


def _partner_keys(*kids: str) -> str:
    return json.dumps({"keys": [{"kid": kid, "privateKeyPem": new_private_pem()} for kid in kids]})


def _airkit() -> Rotation:
    return Rotation(
        "loyalty/airkit-partner-key",
        _partner_keys("k1"),
        _partner_keys("k1", "k2"),
        keyring_from_secret,
        lambda keyring: [key["kid"] for key in keyring.jwks()["keys"]],
    )


def _apple() -> Rotation:
    return Rotation(
        "loyalty/dev/apple-wallet/pass-certificate",
        make_chain().certificate_secret(),
        make_chain().certificate_secret(),
        parse_pass_signing,
        lambda credentials: credentials.certificate.serial_number,
    )


def _google() -> Rotation:
    return Rotation(
        "loyalty/dev/google-wallet-service-account",
        json.dumps(throwaway_account()),
        json.dumps(other_service_account()),
        parse_service_account,
        lambda account: account.client_email,
    )


@pytest.fixture
def secrets_manager() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="eu-west-1")


@pytest.mark.parametrize("rotation", [_airkit, _apple, _google], ids=["airkit", "apple", "google"])
def test_a_rotated_secret_is_in_use_once_the_max_age_has_passed(
    secrets_manager: Any, rotation: Callable[[], Rotation]
) -> None:
    case = rotation()
    secrets_manager.create_secret(Name=case.name, SecretString=case.before)
    reader = ParsedSecret(
        SecretSource(SecretsProvider(boto3_client=secrets_manager), MAX_AGE_SECONDS), case.name, case.parse
    )
    before = case.seen(reader())

    secrets_manager.put_secret_value(SecretId=case.name, SecretString=case.after)
    assert case.seen(reader()) == before, "within its max age the container keeps the value it read"

    time.sleep(MAX_AGE_SECONDS + 0.1)
    after = case.seen(reader())
    assert after != before
    assert after == case.seen(case.parse(case.after))


def test_a_binary_secret_is_refused_by_name_without_its_content(secrets_manager: Any) -> None:
    secrets_manager.create_secret(Name="loyalty/binary", SecretBinary=b"\x00top-secret")
    source = SecretSource(SecretsProvider(boto3_client=secrets_manager), MAX_AGE_SECONDS)
    with pytest.raises(SecretUnusable, match="loyalty/binary") as refused:
        source.text("loyalty/binary")
    assert "top-secret" not in str(refused.value)


@pytest.mark.parametrize(("variable", "max_age"), [(None, 300), ("120", 120)])
def test_one_setting_gives_every_secret_its_max_age(
    monkeypatch: pytest.MonkeyPatch, variable: str | None, max_age: int
) -> None:
    monkeypatch.setenv("TABLE_NAME", "loyalty")
    monkeypatch.delenv("POWERTOOLS_PARAMETERS_MAX_AGE", raising=False)
    if variable is not None:
        monkeypatch.setenv("POWERTOOLS_PARAMETERS_MAX_AGE", variable)
    assert Settings.from_environment(os.environ).secrets_max_age_seconds == max_age


def test_a_max_age_of_zero_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Zero would read Secrets Manager on every JWT and every pass: a misconfiguration, not a choice."""
    monkeypatch.setenv("TABLE_NAME", "loyalty")
    monkeypatch.setenv("POWERTOOLS_PARAMETERS_MAX_AGE", "0")
    with pytest.raises(ValueError, match="POWERTOOLS_PARAMETERS_MAX_AGE"):
        Settings.from_environment(os.environ)
