"""Google Wallet configuration, read from the environment once per container.

The base URLs are settings so that the local stand-in (`loyalty_local.google_wallet_standin`) can take the
place of Google's API and token endpoint; deployed, the defaults are Google's own. Without an issuer id
Google Wallet is off (the platform still runs, with Apple Wallet only); with one, the rest of what Google
needs must be there too.
"""

from __future__ import annotations

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

GOOGLE_API_BASE_URL = "https://walletobjects.googleapis.com/walletobjects/v1"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GOOGLE_SAVE_URL_PREFIX = "https://pay.google.com/gp/v/save/"


class GoogleWalletSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOOGLE_WALLET_", frozen=True)

    issuer_id: str = ""
    service_account_secret_id: str = ""
    issuer_name: str = ""
    program_logo_url: str = ""
    api_base_url: str = GOOGLE_API_BASE_URL
    token_url: str = GOOGLE_TOKEN_URL
    save_url_prefix: str = GOOGLE_SAVE_URL_PREFIX
    request_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> GoogleWalletSettings:
        if self.issuer_id:
            missing = [
                f"GOOGLE_WALLET_{name.upper()}"
                for name in ("service_account_secret_id", "issuer_name", "program_logo_url")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"Google Wallet is on (GOOGLE_WALLET_ISSUER_ID) but {missing} are not set")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.issuer_id)
