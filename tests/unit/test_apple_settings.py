"""Apple Wallet is either off or completely configured: a half-set stage fails at cold start."""

from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from loyalty.settings import AppleWalletSettings, InvalidSettings, load_settings

COMPLETE = {
    "APPLE_WALLET_PASS_TYPE_ID": "pass.com.example.loyalty",
    "APPLE_WALLET_TEAM_ID": "ABCDE12345",
    "APPLE_WALLET_ORGANIZATION_NAME": "Example Coffee",
    "APPLE_WALLET_WEB_SERVICE_URL": "https://api.example.com/wallet/apple/",
    "APPLE_WALLET_CERTIFICATE_SECRET_ID": "loyalty/prod/apple-wallet/pass-certificate",
    "APPLE_WALLET_APNS_KEY_SECRET_ID": "loyalty/prod/apple-wallet/apns-key",
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [
        *COMPLETE,
        "APPLE_WALLET_APNS_URL",
        "APPLE_WALLET_APNS_AUTH",
        "PASS_INACTIVITY_EXPIRATION_DAYS",
    ]:
        monkeypatch.delenv(name, raising=False)


def test_off_without_a_pass_type_id() -> None:
    assert not AppleWalletSettings.from_environment(os.environ).enabled


def test_complete_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", "120")
    monkeypatch.setenv("TABLE_NAME", "unit")
    settings = load_settings()
    assert settings.apple.enabled
    assert settings.apple.base_url == "https://api.example.com/wallet/apple"
    assert settings.apple.apns_url == "https://api.push.apple.com"
    # The pass's terms and the expiry job read one variable, under one rule.
    assert settings.pass_inactivity_expiration_days == 120


@pytest.mark.parametrize("days", ["0", "4.5", "ninety", "99999"])
def test_the_terms_refuse_what_the_expiry_job_refuses(monkeypatch: pytest.MonkeyPatch, days: str) -> None:
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TABLE_NAME", "unit")
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", days)
    with pytest.raises(InvalidSettings, match=r"^invalid configuration: PASS_INACTIVITY_EXPIRATION_DAYS: "):
        load_settings()


@pytest.mark.parametrize("missing", [k for k in COMPLETE if k != "APPLE_WALLET_PASS_TYPE_ID"])
def test_a_missing_setting_is_named(monkeypatch: pytest.MonkeyPatch, missing: str) -> None:
    monkeypatch.setenv("APPLE_WALLET_APNS_AUTH", "token")
    for name, value in COMPLETE.items():
        if name != missing:
            monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=missing):
        AppleWalletSettings.from_environment(os.environ)


def test_pushes_use_the_pass_type_certificate_unless_told_to_use_a_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in COMPLETE.items():
        if name != "APPLE_WALLET_APNS_KEY_SECRET_ID":
            monkeypatch.setenv(name, value)
    settings = AppleWalletSettings.from_environment(os.environ)
    assert settings.apns_auth == "certificate"  # and no APNs key is needed for it
    monkeypatch.setenv("APPLE_WALLET_APNS_AUTH", "token")
    with pytest.raises(ValidationError, match="APPLE_WALLET_APNS_KEY_SECRET_ID"):
        AppleWalletSettings.from_environment(os.environ)


@pytest.mark.parametrize(
    "address",
    [
        "/wallet/apple",  # PublicApiBaseUrl left empty
        "http://api.example.com/wallet/apple",
        "ftp://api.example.com/wallet/apple",
        "https:///wallet/apple",
    ],
)
def test_the_update_address_must_be_https(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("APPLE_WALLET_WEB_SERVICE_URL", address)
    with pytest.raises(ValidationError, match="must be an https:// URL"):
        AppleWalletSettings.from_environment(os.environ)


def test_plain_http_only_on_loopback_where_the_local_stack_serves(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("APPLE_WALLET_WEB_SERVICE_URL", "http://127.0.0.1:3000/wallet/apple")
    assert AppleWalletSettings.from_environment(os.environ).base_url == "http://127.0.0.1:3000/wallet/apple"
