"""The public routes' guards: per-address and per-offer rate limits. Their counters and the recovery mail are
built in `loyalty.bootstrap`, from the settings tree."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Callable
from datetime import datetime

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty.bootstrap import origin_verify, settings, throttle
from loyalty.domain.throttle import RateLimit

MINUTE = 60


def client_address(app: APIGatewayHttpResolver) -> str:
    """The customer's address. Through our CloudFront distribution, API Gateway sees CloudFront's address, so the
    viewer's comes in CloudFront's `CloudFront-Viewer-Address` header; it is believed only when the request also
    carries the secret our distribution adds as `X-Origin-Verify` (CloudFront overwrites a viewer's own header of
    that name). Anything else is keyed on the address API Gateway saw (`requestContext.http.sourceIp`), never on a
    header the caller could write itself (X-Forwarded-For, a forged viewer address)."""
    event = app.current_event
    source = str(event.request_context.http.source_ip or "unknown")
    headers = event.headers or {}
    return (
        trusted_viewer_address(
            headers.get("cloudfront-viewer-address"), headers.get("x-origin-verify"), origin_verify
        )
        or source
    )


def trusted_viewer_address(
    viewer: str | None, presented: str | None, expected: Callable[[], str | None]
) -> str | None:
    """The viewer's IP from `CloudFront-Viewer-Address` (`<ip>:<port>`, IPv6 unbracketed), when `presented` is our
    distribution's secret; None otherwise."""
    if not viewer or not presented:
        return None
    secret = expected()
    if not secret or not hmac.compare_digest(presented.encode(), secret.encode()):
        return None
    host = viewer.rsplit(":", 1)[0]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


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
