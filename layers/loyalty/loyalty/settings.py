"""Environment of the functions, as one typed model validated once per container (not os.environ strewn about)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS, parse_inactivity_days


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    table_name: str = Field(alias="TABLE_NAME")
    stage: str = Field(default="dev", alias="STAGE")
    idempotency_ttl_hours: int = Field(default=24, alias="IDEMPOTENCY_TTL_HOURS", ge=1, le=24 * 30)
    max_body_bytes: int = Field(default=64 * 1024, alias="MAX_BODY_BYTES", ge=1024)
    # Where the wallet sync queues an offer whose ladder changed; unset, wallets follow the new ladder only as
    # each pass next changes.
    wallet_refresh_queue_url: str | None = Field(default=None, alias="WALLET_REFRESH_QUEUE_URL")
    pass_inactivity_expiration_days: int = Field(
        default=DEFAULT_INACTIVITY_DAYS, alias="PASS_INACTIVITY_EXPIRATION_DAYS"
    )
    # The HTTP API's CorsConfiguration, for the `$default` function that answers browser preflights.
    cors_allow_origins: str = Field(default="", alias="CORS_ALLOW_ORIGINS")
    cors_allow_headers: str = Field(default="", alias="CORS_ALLOW_HEADERS")
    cors_allow_methods: str = Field(default="", alias="CORS_ALLOW_METHODS")
    cors_max_age_seconds: int = Field(default=0, alias="CORS_MAX_AGE", ge=0)

    @field_validator("pass_inactivity_expiration_days", mode="before")
    @classmethod
    def _inactivity_days(cls, raw: str | int | None) -> int:
        return parse_inactivity_days(raw)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()  # type: ignore[call-arg]
