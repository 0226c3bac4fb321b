"""Google Wallet collaborators built once per container from the environment (None when Google is off)."""

from __future__ import annotations

from functools import cache

from loyalty.adapters.aws_clients import client
from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.adapters.google.save_link import GoogleWalletLinks
from loyalty.adapters.google.service_account import SecretsManagerServiceAccount
from loyalty.adapters.google.settings import GoogleWalletSettings
from loyalty.adapters.http import new_client
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass


@cache
def google_wallet_settings() -> GoogleWalletSettings:
    return GoogleWalletSettings()


@cache
def _service_account() -> SecretsManagerServiceAccount:
    return SecretsManagerServiceAccount(
        client("secretsmanager"), google_wallet_settings().service_account_secret_id
    )


@cache
def google_wallet_passes() -> GoogleWalletPasses | None:
    settings = google_wallet_settings()
    if not settings.enabled:
        return None
    http = new_client(
        connect_seconds=settings.request_timeout_seconds, read_seconds=settings.request_timeout_seconds
    )
    tokens = ServiceAccountTokens(_service_account(), settings.token_url, http)
    return GoogleWalletPasses(
        WalletObjectsClient(settings.api_base_url, tokens, http),
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


def ensure_google_wallet_pass(offer: Offer, card: Pass) -> None:
    """Make sure the offer's LoyaltyClass and the pass's LoyaltyObject exist at Google, before a save link for
    them leaves (the link carries only ids: a tap before the insert would fail). Idempotent with the wallet sync's
    insert from the stream (409 is "already there"). Nothing to do where Google Wallet is off; a Google failure is
    raised (GoogleWalletError), so the caller answers 5xx rather than a link that does not work."""
    passes = google_wallet_passes()
    if passes is not None:
        passes.ensure_object(offer, card, offer.ladder.standing(card.rewards_claimed))
