"""Service-account OAuth: the JWT-bearer grant (RFC 7523); the access token is reused until near expiry."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import jwt

from loyalty.adapters.google.service_account import ServiceAccount
from loyalty.domain.clock import Clock, utc_now

WALLET_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
ASSERTION_LIFETIME = timedelta(hours=1)
# A token this close to its expiry is renewed first, so that a request never leaves with a token that dies
# on the way (Lambda may also freeze the container between the check and the call).
RENEW_MARGIN = timedelta(minutes=5)


class TokenGrantError(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_at: datetime


def grant_assertion(account: ServiceAccount, token_url: str, now: datetime) -> str:
    claims = {
        "iss": account.client_email,
        "scope": WALLET_SCOPE,
        "aud": token_url,
        "iat": int(now.timestamp()),
        "exp": int((now + ASSERTION_LIFETIME).timestamp()),
    }
    headers = {"kid": account.private_key_id} if account.private_key_id else None
    return jwt.encode(claims, account.private_key, algorithm="RS256", headers=headers)


class ServiceAccountTokens:
    """Bearer tokens for the walletobjects API. Thread-safe; one grant per token lifetime."""

    def __init__(
        self,
        service_account: Callable[[], ServiceAccount],
        token_url: str,
        http: httpx.Client,
        clock: Clock = utc_now,
    ) -> None:
        self._service_account = service_account
        self._token_url = token_url
        self._http = http
        self._clock = clock
        self._token: AccessToken | None = None
        self._lock = threading.Lock()

    def bearer(self) -> str:
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._token.expires_at - RENEW_MARGIN:
                self._token = self._grant(now)
            return self._token.value

    def forget(self, rejected: str) -> None:
        """The API refused this token (revoked, clock skew): the next call asks for a new one."""
        with self._lock:
            if self._token is not None and self._token.value == rejected:
                self._token = None

    def _grant(self, now: datetime) -> AccessToken:
        assertion = grant_assertion(self._service_account(), self._token_url, now)
        try:
            response = self._http.post(
                self._token_url, data={"grant_type": JWT_BEARER_GRANT, "assertion": assertion}
            )
        except httpx.TransportError as exc:
            raise TokenGrantError(f"token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code != 200:
            # Google's error body names the reason (invalid_grant, ...) and carries no secret.
            raise TokenGrantError(
                f"token grant refused: {response.status_code} {response.text[:200]}", response.status_code
            )
        body = response.json()
        return AccessToken(
            value=str(body["access_token"]),
            expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
        )
