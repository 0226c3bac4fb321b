"""Google Wallet collaborators built once per container from the environment (None when Google is off)."""

from __future__ import annotations

from functools import cache

import requests

from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.adapters.google.save_link import GoogleWalletLinks
from loyalty.adapters.google.service_account import ServiceAccount, parse_service_account
from loyalty.adapters.google.settings import GoogleWalletSettings
from loyalty.adapters.secrets import ParsedSecret, container_secrets
from loyalty.domain.passes import Pass


@cache
def google_wallet_settings() -> GoogleWalletSettings:
    return GoogleWalletSettings()


@cache
def _service_account() -> ParsedSecret[ServiceAccount]:
    return ParsedSecret(
        container_secrets(), google_wallet_settings().service_account_secret_id, parse_service_account
    )


@cache
def google_wallet_passes() -> GoogleWalletPasses | None:
    settings = google_wallet_settings()
    if not settings.enabled:
        return None
    session = requests.Session()
    tokens = ServiceAccountTokens(
        _service_account(), settings.token_url, session, settings.request_timeout_seconds
    )
    return GoogleWalletPasses(
        WalletObjectsClient(settings.api_base_url, tokens, session, settings.request_timeout_seconds),
        issuer_id=settings.issuer_id,
        issuer_name=settings.issuer_name,
        program_logo_url=settings.program_logo_url,
    )


@cache
def google_wallet_links() -> GoogleWalletLinks | None:
    """What enrollment uses for `wallet.googleWalletSaveUrl`."""
    settings = google_wallet_settings()
    if not settings.enabled:
        return None
    return GoogleWalletLinks(settings.issuer_id, _service_account(), settings.save_url_prefix)


def google_wallet_link(card: Pass) -> str | None:
    """`wallet.googleWalletSaveUrl` of the enroll answer; None where Google Wallet is off."""
    links = google_wallet_links()
    return links.save_url(card.customer_id, card.offer_id) if links is not None else None
