"""How a deploy step reaches Google Wallet: as the deployed functions do (`--aws`: Google Wallet's settings from the
environment, the service account from Secrets Manager), else through the running `make run` stack's stand-in."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.service_account import ServiceAccount, parse_service_account
from loyalty.adapters.http import new_client


class GoogleNotReachable(Exception):
    """The step cannot reach Google: settings incomplete, Google Wallet off, or no running local stack."""


@dataclass(frozen=True)
class GoogleReach:
    account: ServiceAccount
    issuer_id: str
    issuer_name: str
    program_logo_url: str
    api_base_url: str
    token_url: str
    callback_url: str
    web_base_url: str

    def client(self) -> WalletObjectsClient:
        http = new_client(connect_seconds=10.0, read_seconds=10.0)
        tokens = ServiceAccountTokens(lambda: self.account, self.token_url, http)
        return WalletObjectsClient(self.api_base_url, tokens, http)


def reach_google(aws: bool, *, callback_needed: bool = False) -> GoogleReach:
    """Google as the deployed functions reach it (`aws`), else the running stack's stand-in; `callback_needed`:
    refused, before any secret is read, where no callback URL is configured."""
    if aws:
        import boto3

        from loyalty.settings import GoogleWalletSettings

        try:
            settings = GoogleWalletSettings.from_environment(os.environ)
        except ValueError as incomplete:
            raise GoogleNotReachable(f"Google Wallet's settings are incomplete: {incomplete}") from incomplete
        if not settings.enabled:
            raise GoogleNotReachable("Google Wallet is off here (no GOOGLE_WALLET_ISSUER_ID)")
        if callback_needed and not settings.callback_url.startswith(("https://", "http://")):
            raise GoogleNotReachable("no GOOGLE_WALLET_CALLBACK_URL: nothing to give the classes")
        secret = boto3.client("secretsmanager").get_secret_value(SecretId=settings.service_account_secret_id)
        return GoogleReach(
            parse_service_account(str(secret["SecretString"])),
            settings.issuer_id,
            settings.issuer_name,
            settings.program_logo_url,
            settings.api_base_url,
            settings.token_url,
            settings.callback_url,
            os.environ.get("PUBLIC_WEB_BASE_URL", ""),
        )
    from loyalty_local.cloud.stack import default_data_dir, running_stack_state
    from loyalty_local.standins.google_wallet import (
        API_PREFIX,
        CALLBACK_PATH,
        LOCAL_ISSUER_ID,
        LOCAL_ISSUER_NAME,
        PROGRAM_LOGO_PATH,
        TOKEN_PATH,
        local_service_account,
    )

    state = running_stack_state() or {}
    standin = (state.get("services") or {}).get("googleWallet")
    base = str(state.get("baseUrl") or "")
    if not standin or (callback_needed and not base):
        raise GoogleNotReachable("no running local stack with its Google stand-in: start `make run`")
    return GoogleReach(
        parse_service_account(json.dumps(local_service_account(default_data_dir()))),
        LOCAL_ISSUER_ID,
        LOCAL_ISSUER_NAME,
        standin + PROGRAM_LOGO_PATH,
        standin + API_PREFIX,
        standin + TOKEN_PATH,
        base + CALLBACK_PATH if base else "",
        base,
    )
