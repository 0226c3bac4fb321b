"""The Apple Wallet pieces of one container, assembled once from settings (what handlers and the wallet sync
use); every collaborator is still a plain argument of the classes it builds, for tests to replace."""

from __future__ import annotations

from functools import cache

from loyalty.adapters.apple.content import PassIssuer
from loyalty.adapters.apple.credentials import SecretValue, parse_apns_key, parse_pass_signing
from loyalty.adapters.apple.links import apple_wallet_url
from loyalty.adapters.apple.push import ApnsClient, ApplePassNotifier, ProviderToken
from loyalty.adapters.apple.rendering import PassRenderer
from loyalty.adapters.apple.settings import AppleWalletSettings, get_apple_wallet_settings
from loyalty.adapters.apple.web_service import AppleWebService
from loyalty.adapters.aws_clients import client
from loyalty.adapters.dynamodb.passes import default_pass_store
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.domain.clock import utc_now
from loyalty.domain.errors import NotFound
from loyalty.domain.passes import Pass
from loyalty.settings import get_settings


class AppleWalletOff(NotFound):
    def __init__(self) -> None:
        super().__init__("Apple Wallet passes are not offered here.", code="APPLE_WALLET_DISABLED")


def _enabled_settings() -> AppleWalletSettings:
    settings = get_apple_wallet_settings()
    if not settings.enabled:
        raise AppleWalletOff()
    return settings


def apple_wallet_link(card: Pass) -> str | None:
    """The enroll answer's `wallet.appleWalletUrl` for this pass, or None when Apple Wallet is off."""
    settings = get_apple_wallet_settings()
    if not settings.enabled:
        return None
    return apple_wallet_url(settings.base_url, card.customer_id, card.offer_id, card.auth_token, utc_now())


@cache
def _wallet_store() -> AppleWalletStore:
    return AppleWalletStore(client("dynamodb"), get_settings().table_name)


@cache
def default_web_service() -> AppleWebService:
    settings = _enabled_settings()
    renderer = PassRenderer(
        PassIssuer(settings.pass_type_id, settings.team_id, settings.organization_name, settings.base_url),
        SecretValue(client("secretsmanager"), settings.certificate_secret_id, parse_pass_signing),
        settings.inactivity_days,
    )
    return AppleWebService(default_pass_store(), _wallet_store(), renderer, utc_now)


@cache
def default_notifier() -> ApplePassNotifier | None:
    """What the wallet sync pushes through; None when Apple Wallet is off."""
    settings = get_apple_wallet_settings()
    if not settings.enabled:
        return None
    token = ProviderToken(
        SecretValue(client("secretsmanager"), settings.apns_key_secret_id, parse_apns_key), settings.team_id
    )
    return ApplePassNotifier(
        _wallet_store(), ApnsClient.connect(settings.apns_url, token, settings.apns_timeout_seconds)
    )
