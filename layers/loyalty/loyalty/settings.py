"""The environment of a function, as one typed tree read once per container (`loyalty.bootstrap.settings()`).

Each variable is read by exactly one field, under one rule. A section whose identifying variable is unset is off
(Apple Wallet without a pass type id, Google Wallet without an issuer id, AIR Kit without a partner id); once it
is on, everything it needs must be set, so a half-configured stage fails at cold start, not on a customer's phone.
A bad value is reported as `InvalidSettings`, one line per variable naming it and the rule it broke.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator, model_validator

from loyalty.domain.expiry import DEFAULT_INACTIVITY_DAYS, parse_inactivity_days

MAX_JWT_TTL_SECONDS = 300
APNS_PRODUCTION_URL = "https://api.push.apple.com"
GOOGLE_API_BASE_URL = "https://walletobjects.googleapis.com/walletobjects/v1"
GOOGLE_TOKEN_URL = "https://oauth2.googleapis.com/token"
GOOGLE_SAVE_URL_PREFIX = "https://pay.google.com/gp/v/save/"
# Google's root keys for the signed save/delete callbacks of Wallet objects (Google Wallet, "Callbacks").
GOOGLE_CALLBACK_KEYS_URL = "https://pay.google.com/gp/m/issuer/keys"
# Apple requires HTTPS for a pass's webServiceURL; plain HTTP only on loopback, where the local stack serves.
_WEB_SERVICE_URL = re.compile(r"^(https://[^/\s]+|http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(/\S*)?$")


class InvalidSettings(Exception):
    """The environment cannot run this function; the message names each variable at fault."""


class FromEnvironment(BaseModel):
    """Fields read from environment variables: a field's alias names its variable, else the section's prefix and
    the field's name, upper case. Plain pydantic, read by hand: a settings library would cost every cold start
    more than these few lines do (bench/bench_cold_import.py)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    env_prefix: ClassVar[str] = ""
    # An empty variable counts as unset (AIR Kit's: a template parameter left empty turns it off).
    env_ignore_empty: ClassVar[bool] = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Self:
        values: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            section = field.annotation
            if isinstance(section, type) and issubclass(section, FromEnvironment):
                values[field.alias or name] = section.from_environment(environ)
                continue
            raw = environ.get(_variable(cls, name))
            if raw is None or (cls.env_ignore_empty and raw == ""):
                continue
            values[field.alias or name] = raw
        return cls.model_validate(values)


def _variable(section: type[FromEnvironment], name: str) -> str:
    """The environment variable a field of `section` is read from."""
    field = section.model_fields.get(name)
    if field is not None and field.alias:
        return field.alias
    return f"{section.env_prefix}{name}".upper()


def _missing(section: FromEnvironment, names: tuple[str, ...]) -> list[str]:
    return [_variable(type(section), name) for name in names if not getattr(section, name)]


class AirKitSettings(FromEnvironment):
    """AIR Kit: which partner we are, which key signs, which program issues. Never in code."""

    env_ignore_empty = True

    partner_id: str = Field(default="", alias="AIRKIT_PARTNER_ID")
    key_id: str = Field(default="", alias="AIRKIT_KEY_ID")
    # AIR Kit's docs name the scope "issue on-behalf" for this API in five places and "issue" (the SDK flow's
    # scope) in one troubleshooting line: the five win, and an operator can still change it without a release.
    scope: str = Field(default="issue on-behalf", alias="AIRKIT_SCOPE", min_length=1)
    issuer_did: str = Field(default="", alias="AIRKIT_ISSUER_DID")
    credential_id: str = Field(default="", alias="AIRKIT_CREDENTIAL_ID")
    base_url: HttpUrl | None = Field(default=None, alias="AIRKIT_BASE_URL")
    partner_key_secret_id: str = Field(default="", alias="AIRKIT_PARTNER_KEY_SECRET_ID")
    jwt_ttl_seconds: int = Field(
        default=MAX_JWT_TTL_SECONDS, alias="AIRKIT_JWT_TTL_SECONDS", ge=30, le=MAX_JWT_TTL_SECONDS
    )
    connect_timeout_seconds: float = Field(default=3.05, alias="AIRKIT_CONNECT_TIMEOUT_SECONDS", gt=0, le=10)
    # Generous: a submit whose answer is lost is ambiguous (AIR Kit has no idempotency key), so we wait long
    # before giving up on an answer; the submit Lambda's timeout leaves room for it.
    read_timeout_seconds: float = Field(default=20.0, alias="AIRKIT_READ_TIMEOUT_SECONDS", gt=0, le=25)

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> AirKitSettings:
        if self.enabled:
            missing = _missing(
                self, ("key_id", "issuer_did", "credential_id", "base_url", "partner_key_secret_id")
            )
            if missing:
                raise ValueError(f"AIR Kit is on (AIRKIT_PARTNER_ID) but {missing} are not set")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.partner_id)

    @property
    def api_root(self) -> str:
        return str(self.base_url).rstrip("/")


class AppleWalletSettings(FromEnvironment):
    """Apple Wallet. Without a pass type identifier it is off and the enroll answer carries no Apple link."""

    env_prefix = "APPLE_WALLET_"

    pass_type_id: str = ""
    team_id: str = ""
    organization_name: str = ""
    # Where the phone reaches the PassKit web service (Apple appends `/v1/...`); HTTPS when deployed.
    web_service_url: str = ""
    # The SSM parameter holding the Apple Wallet function's own URL (a Lambda function URL): passes rendered now
    # carry `<that URL>/wallet/apple` instead (docs/decisions/0021j); empty, or unreadable, `web_service_url`.
    web_service_url_parameter: str = ""
    # The Apple Wallet function's own URL, where the template can name it (every function but that one): passes
    # then carry `<it>/wallet/apple` with no Parameter Store read.
    function_url: str = ""
    # JSON {"passCertificate", "passPrivateKey", "wwdrCertificate", "passPrivateKeyPassword"?} (PEM strings).
    certificate_secret_id: str = ""
    # How pushes are authenticated: "certificate", the pass type ID certificate of `certificate_secret_id` in the
    # TLS handshake (what Apple's Wallet Developer Guide, "Updating a Pass", describes), or "token", an APNs auth
    # key (.p8) of `apns_key_secret_id` (the documented option; the local APNs stand-in speaks it over h2c).
    apns_auth: Literal["certificate", "token"] = "certificate"
    # JSON {"keyId", "privateKey"}: the APNs auth key (.p8), ES256; needed only with apns_auth "token".
    apns_key_secret_id: str = ""
    apns_url: str = APNS_PRODUCTION_URL
    apns_timeout_seconds: float = 10.0

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> AppleWalletSettings:
        if self.enabled:
            missing = _missing(
                self,
                (
                    "team_id",
                    "organization_name",
                    "web_service_url",
                    "certificate_secret_id",
                    *(("apns_key_secret_id",) if self.apns_auth == "token" else ()),
                ),
            )
            if missing:
                raise ValueError(f"Apple Wallet is on (APPLE_WALLET_PASS_TYPE_ID) but {missing} are not set")
            if self.function_url and not _WEB_SERVICE_URL.match(self.function_url):
                raise ValueError("APPLE_WALLET_FUNCTION_URL must be an https:// URL (a Lambda function URL)")
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


class GoogleWalletSettings(FromEnvironment):
    """Google Wallet. The base URLs are settings so that the local stand-in can take the place of Google's API and
    token endpoint; deployed, the defaults are Google's own. Without an issuer id Google Wallet is off."""

    env_prefix = "GOOGLE_WALLET_"

    issuer_id: str = ""
    service_account_secret_id: str = ""
    issuer_name: str = ""
    program_logo_url: str = ""
    api_base_url: str = GOOGLE_API_BASE_URL
    token_url: str = GOOGLE_TOKEN_URL
    save_url_prefix: str = GOOGLE_SAVE_URL_PREFIX
    request_timeout_seconds: float = 10.0
    callback_keys_url: str = GOOGLE_CALLBACK_KEYS_URL
    # Where Google sends the save/delete callbacks of our objects (the class's `callbackOptions.url`); empty: none.
    callback_url: str = ""

    @model_validator(mode="after")
    def _complete_when_enabled(self) -> GoogleWalletSettings:
        if self.enabled:
            missing = _missing(self, ("service_account_secret_id", "issuer_name", "program_logo_url"))
            if missing:
                raise ValueError(f"Google Wallet is on (GOOGLE_WALLET_ISSUER_ID) but {missing} are not set")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.issuer_id)


class Settings(FromEnvironment):
    """The whole tree: the platform's own variables, then one section per partner service."""

    table_name: str = Field(alias="TABLE_NAME", min_length=1)
    idempotency_ttl_hours: int = Field(default=24, alias="IDEMPOTENCY_TTL_HOURS", ge=1, le=24 * 30)
    max_body_bytes: int = Field(default=64 * 1024, alias="MAX_BODY_BYTES", ge=1024)
    # Where the wallet sync queues an offer whose ladder changed; unset, wallets follow the new ladder only as
    # each pass next changes.
    wallet_refresh_queue_url: str | None = Field(default=None, alias="WALLET_REFRESH_QUEUE_URL")
    # Where campaigns are fanned out (app/campaigns/fanout.py).
    campaign_queue_url: str | None = Field(default=None, alias="CAMPAIGN_QUEUE_URL")
    # The dispatcher starts every new issuance's workflow on this state machine.
    credential_state_machine_arn: str | None = Field(default=None, alias="CREDENTIAL_STATE_MACHINE_ARN")
    # The expiry job's threshold, and the pass's terms (Apple Wallet's back of the pass states it).
    # One cache lifetime for every secret (Powertools Parameters' own variable, so both read the same number):
    # a rotated secret is in use at most this long after the rotation, with no cold start.
    secrets_max_age_seconds: int = Field(default=300, alias="POWERTOOLS_PARAMETERS_MAX_AGE", ge=1, le=3600)
    # How long a container keeps an offer it read for the scanner's routes (a scan reads nothing before its one
    # write): an offer edit reaches every scan within this many seconds. 0 reads the offer on every request.
    offer_cache_seconds: int = Field(default=30, alias="OFFER_CACHE_SECONDS", ge=0, le=600)
    # Where customers' browsers open the web apps: mailed recovery links are `<this>/pass/recover?token=…`.
    public_web_base_url: str = Field(default="", alias="PUBLIC_WEB_BASE_URL")
    # Brand images: uploads (presigned POSTs) and the sizes drawn from them, served at `/brand-images/` of the web
    # origin.
    brand_images_bucket: str = Field(default="", alias="BRAND_IMAGES_BUCKET")
    # Members exports: the files (the bucket deletes them after a few days) and the worker's queue.
    export_bucket: str = Field(default="", alias="EXPORT_BUCKET")
    export_queue_url: str = Field(default="", alias="EXPORT_QUEUE_URL")
    # The Cognito user pool holding people's accounts (the staff routes invite, move and remove them there).
    user_pool_id: str = Field(default="", alias="USER_POOL_ID")
    # The SES identity recovery mails are sent from.
    mail_from_address: str = Field(default="", alias="MAIL_FROM_ADDRESS")
    # The public door's limits per minute: a busy counter enrolls one customer every few seconds, a script more.
    # The secret CloudFront sends to the API as `X-Origin-Verify`: a request carrying it came through our
    # distribution, so its `CloudFront-Viewer-Address` is the customer's. Empty: no viewer address is trusted.
    origin_verify_secret_id: str = Field(default="", alias="ORIGIN_VERIFY_SECRET_ID")
    enroll_limit_per_address: int = Field(default=20, ge=1, alias="ENROLL_LIMIT_PER_ADDRESS")
    enroll_limit_per_offer: int = Field(default=120, ge=1, alias="ENROLL_LIMIT_PER_OFFER")
    recovery_limit_per_address: int = Field(default=20, ge=1, alias="RECOVERY_LIMIT_PER_ADDRESS")
    # Recovery mails one address may be sent per hour, whoever asks (no mailbox is flooded through our form).
    recovery_mails_per_hour: int = Field(default=5, ge=1, alias="RECOVERY_MAILS_PER_HOUR")
    pass_inactivity_expiration_days: int = Field(
        default=DEFAULT_INACTIVITY_DAYS, alias="PASS_INACTIVITY_EXPIRATION_DAYS"
    )
    # The HTTP API's CorsConfiguration, for the `$default` function that answers browser preflights.
    cors_allow_origins: str = Field(default="", alias="CORS_ALLOW_ORIGINS")
    cors_allow_headers: str = Field(default="", alias="CORS_ALLOW_HEADERS")
    cors_allow_methods: str = Field(default="", alias="CORS_ALLOW_METHODS")
    cors_max_age_seconds: int = Field(default=0, alias="CORS_MAX_AGE", ge=0)
    airkit: AirKitSettings = Field(default_factory=AirKitSettings)
    apple: AppleWalletSettings = Field(default_factory=AppleWalletSettings)
    google: GoogleWalletSettings = Field(default_factory=GoogleWalletSettings)

    @field_validator("pass_inactivity_expiration_days", mode="before")
    @classmethod
    def _inactivity_days(cls, raw: str | int | None) -> int:
        return parse_inactivity_days(raw)


_SECTIONS: dict[str, type[FromEnvironment]] = {
    section.__name__: section for section in (AirKitSettings, AppleWalletSettings, GoogleWalletSettings)
}


def _problem(title: str, error: Any) -> str:
    """`VARIABLE: what is wrong`, without the value (a secret's name is harmless, but a habit is a habit)."""
    message = str(error["msg"]).removeprefix("Value error, ")
    location = error.get("loc") or ()
    if not location:
        return message
    section = _SECTIONS.get(title)
    name = str(location[0])
    return f"{_variable(section, name) if section is not None else name}: {message}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The environment read and checked, or InvalidSettings naming every variable at fault."""
    try:
        return Settings.from_environment(os.environ if environ is None else environ)
    except ValidationError as invalid:
        problems = "; ".join(_problem(invalid.title, error) for error in invalid.errors())
        raise InvalidSettings(f"invalid configuration: {problems}") from None
