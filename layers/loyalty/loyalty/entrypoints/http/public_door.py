"""The public routes' guards and collaborators: per-address and per-offer rate limits, and what mails a pass's
recovery link. Built once per container from settings."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty.adapters.aws_clients import client
from loyalty.adapters.dynamodb.recovery_links import RecoveryLinkStore
from loyalty.adapters.dynamodb.throttle import ThrottleCounters
from loyalty.adapters.ses.mailer import SesMailer
from loyalty.app.pass_recovery import RecoveryMail
from loyalty.domain.clock import utc_now
from loyalty.domain.throttle import RateLimit, TooManyRequests
from loyalty.settings import ConfigurationError, get_settings

MINUTE = 60
HOUR = 3600


def client_address(app: APIGatewayHttpResolver) -> str:
    """The caller's address as API Gateway saw it (`requestContext.http.sourceIp`), never a header the caller
    could write itself (X-Forwarded-For)."""
    return str(app.current_event.request_context.http.source_ip or "unknown")


@cache
def throttle() -> ThrottleCounters:
    return ThrottleCounters(client("dynamodb"), get_settings().table_name)


@cache
def recovery_links() -> RecoveryLinkStore:
    return RecoveryLinkStore(client("dynamodb"), get_settings().table_name)


def check_enroll_rate(address: str, offer_id: str, now: datetime) -> None:
    """429 past the per-address limit (a script) or the per-offer limit (many addresses at one offer)."""
    settings = get_settings()
    throttle().check("enroll-address", address, RateLimit(settings.enroll_limit_per_address, MINUTE), now)
    throttle().check("enroll-offer", offer_id, RateLimit(settings.enroll_limit_per_offer, MINUTE), now)


def check_recovery_rate(address: str, now: datetime) -> None:
    limit = RateLimit(get_settings().recovery_limit_per_address, MINUTE)
    throttle().check("recover-address", address, limit, now)


@cache
def recovery_mail() -> RecoveryMail:
    settings = get_settings()
    if not settings.public_web_base_url:
        raise ConfigurationError("PUBLIC_WEB_BASE_URL is not set: recovery links would lead nowhere")
    hourly = RateLimit(settings.recovery_mails_per_hour, HOUR)

    def may_mail(email: str) -> bool:
        try:
            throttle().check("recovery-mail", email, hourly, utc_now())
        except TooManyRequests:
            return False
        return True

    return RecoveryMail(
        links=recovery_links(),
        mailer=SesMailer(client("sesv2"), settings.mail_from_address),
        web_base_url=settings.public_web_base_url,
        may_mail=may_mail,
    )
