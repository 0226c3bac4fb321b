"""The public routes' guards: per-address and per-offer rate limits. Their counters and the recovery mail are
built in `loyalty.bootstrap`, from the settings tree."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty.bootstrap import settings, throttle
from loyalty.domain.throttle import RateLimit

MINUTE = 60


def client_address(app: APIGatewayHttpResolver) -> str:
    """The caller's address as API Gateway saw it (`requestContext.http.sourceIp`), never a header the caller
    could write itself (X-Forwarded-For)."""
    return str(app.current_event.request_context.http.source_ip or "unknown")


def check_enroll_rate(address: str, offer_id: str, now: datetime) -> None:
    """429 past the per-address limit (a script) or the per-offer limit, which counts the different addresses
    enrolling at an offer in a minute (many addresses at one offer), not their requests: a handful of busy
    addresses cannot use up an offer's enrollments for a new customer."""
    config = settings()
    throttle().check_spread(
        ("enroll-address", address, RateLimit(config.enroll_limit_per_address, MINUTE)),
        ("enroll-offer-addresses", offer_id, RateLimit(config.enroll_limit_per_offer, MINUTE)),
        now,
    )


def check_recovery_rate(address: str, now: datetime) -> None:
    limit = RateLimit(settings().recovery_limit_per_address, MINUTE)
    throttle().check("recover-address", address, limit, now)
