"""Apple Wallet configuration, read from the environment once per container.

Without a pass type identifier Apple Wallet is off: the platform runs without it and the enroll answer carries
no Apple link. With one, everything Apple needs must be configured too, so a half-set stage fails at cold
start rather than on a customer's phone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

APNS_PRODUCTION_URL = "https://api.push.apple.com"
# Apple requires HTTPS for a pass's webServiceURL; plain HTTP only on loopback, where the local stack serves.
_WEB_SERVICE_URL = re.compile(r"^(https://[^/\s]+|http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(/\S*)?$")


class AppleWalletSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="APPLE_WALLET_", frozen=True)

    pass_type_id: str = ""
    team_id: str = ""
    organization_name: str = ""
    # Where the phone reaches the PassKit web service (Apple appends `/v1/...`); HTTPS when deployed.
    web_service_url: str = ""
    # JSON {"passCertificate", "passPrivateKey", "wwdrCertificate", "passPrivateKeyPassword"?} (PEM strings).
    certificate_secret_id: str = ""
    # JSON {"keyId", "privateKey"}: the APNs auth key (.p8), ES256.
    apns_key_secret_id: str = ""
    apns_url: str = APNS_PRODUCTION_URL
    apns_timeout_seconds: float = 10.0
    # The pass's terms state it; the weekly expiry job reads the same variable.
    inactivity_days: int = Field(default=90, ge=1, validation_alias="PASS_INACTIVITY_EXPIRATION_DAYS")

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> AppleWalletSettings:
        if self.pass_type_id:
            missing = [
                f"APPLE_WALLET_{name.upper()}"
                for name in (
                    "team_id",
                    "organization_name",
                    "web_service_url",
                    "certificate_secret_id",
                    "apns_key_secret_id",
                )
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(f"Apple Wallet is on (APPLE_WALLET_PASS_TYPE_ID) but {missing} are not set")
            if not _WEB_SERVICE_URL.match(self.web_service_url):
                raise ValueError(
                    "APPLE_WALLET_WEB_SERVICE_URL must be an https:// URL (set PublicApiBaseUrl): "
                    "Apple Wallet refuses passes whose update address is not HTTPS"
                )
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.pass_type_id)

    @property
    def base_url(self) -> str:
        return self.web_service_url.rstrip("/")


@lru_cache(maxsize=1)
def get_apple_wallet_settings() -> AppleWalletSettings:
    return AppleWalletSettings()
