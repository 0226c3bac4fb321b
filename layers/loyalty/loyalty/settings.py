"""Environment of the functions, as one typed model validated once per container (not os.environ strewn about)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS, parse_inactivity_days

INACTIVITY_DAYS_VARIABLE = "PASS_INACTIVITY_EXPIRATION_DAYS"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    table_name: str = Field(alias="TABLE_NAME")
    stage: str = Field(default="dev", alias="STAGE")
    idempotency_ttl_hours: int = Field(default=24, alias="IDEMPOTENCY_TTL_HOURS", ge=1, le=24 * 30)
    max_body_bytes: int = Field(default=64 * 1024, alias="MAX_BODY_BYTES", ge=1024)
    # Where the wallet sync queues an offer whose ladder changed; unset, wallets follow the new ladder only as
    # each pass next changes.
    wallet_refresh_queue_url: str | None = Field(default=None, alias="WALLET_REFRESH_QUEUE_URL")
    # Where customers' browsers open the web apps: mailed recovery links are `<this>/pass/recover?token=…`.
    public_web_base_url: str = Field(default="", alias="PUBLIC_WEB_BASE_URL")
    # The SES identity recovery mails are sent from.
    mail_from_address: str = Field(default="", alias="MAIL_FROM_ADDRESS")
    # The public door's limits per minute: a busy counter enrolls one customer every few seconds, a script more.
    enroll_limit_per_address: int = Field(default=20, ge=1, alias="ENROLL_LIMIT_PER_ADDRESS")
    enroll_limit_per_offer: int = Field(default=120, ge=1, alias="ENROLL_LIMIT_PER_OFFER")
    recovery_limit_per_address: int = Field(default=20, ge=1, alias="RECOVERY_LIMIT_PER_ADDRESS")
    # Recovery mails one address may be sent per hour, whoever asks (no mailbox is flooded through our form).
    recovery_mails_per_hour: int = Field(default=5, ge=1, alias="RECOVERY_MAILS_PER_HOUR")
    pass_inactivity_expiration_days: int = Field(
        default=DEFAULT_INACTIVITY_DAYS, alias="PASS_INACTIVITY_EXPIRATION_DAYS"
    )

    @field_validator("pass_inactivity_expiration_days", mode="before")
    @classmethod
    def _inactivity_days(cls, raw: str | int | None) -> int:
        return parse_inactivity_days(raw, INACTIVITY_DAYS_VARIABLE)


class ConfigurationError(RuntimeError):
    """The function's environment is not one it can run with; the message names each variable and its rule."""


def describe(invalid: ValidationError) -> str:
    """pydantic's report as one line an operator reads: `VARIABLE: what is wrong; ...`."""
    problems = []
    for error in invalid.errors():
        where = ".".join(str(part) for part in error.get("loc", ())) or "environment"
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        problems.append(message if message.startswith(where) else f"{where}: {message}")
    return "; ".join(problems)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as invalid:
        raise ConfigurationError(describe(invalid)) from None
