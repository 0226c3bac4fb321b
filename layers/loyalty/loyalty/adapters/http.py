"""The one way this platform speaks HTTP to other services (AIR Kit, Google Wallet, APNs): httpx clients that say
who we are, and one reading of a failed exchange.

Why one library: APNs speaks only HTTP/2, which httpx does and requests does not; one library means one set of
timeouts, one connection pool idiom and one error vocabulary to learn. Why a user-agent: the operators of the
services we call (Moca's own reference issuer does the same) can tell our traffic apart when they help us debug.

The error idiom: `ServiceUnavailable` is transient (no answer, 408, 425, 429, 5xx: trying again later may work),
`ServiceRejected` is permanent (the request as it stands will be refused again). Each adapter subclasses them with
its own name, so a caller (or a state machine's Retry) can match either the service or the kind."""

from __future__ import annotations

import ssl
from importlib import metadata

import httpx

PRODUCT = "loyalty-platform"
TRANSIENT_STATUSES = frozenset({408, 425, 429})


def _version() -> str:
    try:
        return metadata.version(PRODUCT)
    except metadata.PackageNotFoundError:
        # The built Lambda layer carries the code without the project's distribution metadata.
        return "lambda"


USER_AGENT = f"{PRODUCT}/{_version()} httpx/{httpx.__version__}"


class ServiceUnavailable(Exception):
    """Transient: the service was throttling, failing, unreachable or too slow. `status` is None without an answer."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class ServiceRejected(Exception):
    """Permanent: the service refused the request as it stands; repeating it changes nothing."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status: int | None = status


def is_transient(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


def new_client(
    *,
    connect_seconds: float,
    read_seconds: float,
    http2: bool = False,
    max_connections: int = 10,
    transport: httpx.BaseTransport | None = None,
    verify: ssl.SSLContext | bool = True,
) -> httpx.Client:
    """A pooled client with our user-agent and explicit timeouts (httpx's default of 5 s everywhere is no
    decision). Connections are kept between invocations of a warm Lambda container. `transport` lets a test
    answer without a network."""
    return httpx.Client(
        transport=transport,
        verify=verify,
        headers={"user-agent": USER_AGENT},
        timeout=httpx.Timeout(read_seconds, connect=connect_seconds),
        http1=not http2,
        http2=http2,
        limits=httpx.Limits(max_connections=max_connections, keepalive_expiry=None if http2 else 30.0),
    )
