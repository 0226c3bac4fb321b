"""AIR Kit configuration: which partner we are, which key signs, which program issues. Never in code."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict

MAX_JWT_TTL_SECONDS = 300


class AirKitSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    partner_id: str = Field(alias="AIRKIT_PARTNER_ID", min_length=1)
    key_id: str = Field(alias="AIRKIT_KEY_ID", min_length=1)
    # AIR Kit's docs name the scope "issue on-behalf" for this API in five places and "issue" (the SDK flow's
    # scope) in one troubleshooting line: the five win, and an operator can still change it without a release.
    scope: str = Field(default="issue on-behalf", alias="AIRKIT_SCOPE", min_length=1)
    issuer_did: str = Field(alias="AIRKIT_ISSUER_DID", min_length=1)
    credential_id: str = Field(alias="AIRKIT_CREDENTIAL_ID", min_length=1)
    base_url: HttpUrl = Field(alias="AIRKIT_BASE_URL")
    partner_key_secret_id: str = Field(alias="AIRKIT_PARTNER_KEY_SECRET_ID", min_length=1)
    jwt_ttl_seconds: int = Field(default=MAX_JWT_TTL_SECONDS, alias="AIRKIT_JWT_TTL_SECONDS", ge=30, le=300)
    connect_timeout_seconds: float = Field(default=3.05, alias="AIRKIT_CONNECT_TIMEOUT_SECONDS", gt=0, le=10)
    # Generous: a submit whose answer is lost is ambiguous (AIR Kit has no idempotency key), so we wait long
    # before giving up on an answer; the submit Lambda's timeout leaves room for it.
    read_timeout_seconds: float = Field(default=20.0, alias="AIRKIT_READ_TIMEOUT_SECONDS", gt=0, le=25)
    key_cache_seconds: int = Field(default=900, alias="AIRKIT_KEY_CACHE_SECONDS", ge=0)

    @property
    def api_root(self) -> str:
        return str(self.base_url).rstrip("/")


@lru_cache(maxsize=1)
def get_airkit_settings() -> AirKitSettings:
    return AirKitSettings()  # type: ignore[call-arg]
