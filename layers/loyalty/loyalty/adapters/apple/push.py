"""APNs pushes that tell phones a pass changed (the phone then asks the web service for it).

One HTTP/2 connection per container, kept open between invocations and multiplexing every push, as Apple asks
of providers. Token authentication: an ES256 JWT (`kid` = key id, `iss` = team id, `iat`) reused for 50
minutes — Apple rejects tokens older than an hour and throttles providers that renew more often than every
20 minutes. A push to a token APNs calls dead (410, or a token that can never serve our topic) unregisters
that device; any other failure is raised, so the stream record that asked for the push is retried.
"""

from __future__ import annotations

import hashlib
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import httpx
import jwt
from aws_lambda_powertools import Logger
from cryptography.hazmat.primitives import serialization

from loyalty.adapters.apple.credentials import ApnsAuthKey, PassSigningCredentials
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.adapters.http import ServiceUnavailable, new_client
from loyalty.app.metrics import BusinessEvent, count
from loyalty.app.ports.wallets import DeviceRegistration, PassAddress
from loyalty.domain.clock import to_iso, utc_now
from loyalty.domain.wallet_delivery import push_result

logger = Logger(child=True)

TOKEN_LIFETIME_SECONDS = 50 * 60
# Reasons that mean the token will never again reach a phone for this topic.
DEAD_TOKEN_REASONS = frozenset({"BadDeviceToken", "DeviceTokenNotForTopic", "Unregistered"})
STALE_PROVIDER_TOKEN_REASONS = frozenset({"ExpiredProviderToken", "InvalidProviderToken"})


class PushOutcome(Enum):
    DELIVERED = "delivered"
    DEAD_TOKEN = "dead-token"


class PushFailed(ServiceUnavailable):
    """APNs did not take the push (throttled, unavailable, misconfigured): try again later."""


def token_fingerprint(push_token: str) -> str:
    """How a push token appears in logs: enough to correlate, not the token."""
    return hashlib.sha256(push_token.encode()).hexdigest()[:12]


class ProviderToken:
    """The APNs provider JWT, made once and reused for TOKEN_LIFETIME_SECONDS."""

    def __init__(
        self,
        key: Callable[[], ApnsAuthKey],
        team_id: str,
        now: Callable[[], float] = time.time,
        lifetime: int = TOKEN_LIFETIME_SECONDS,
    ) -> None:
        self._key = key
        self._team_id = team_id
        self._now = now
        self._lifetime = lifetime
        self._token: str | None = None
        self._issued_at = 0.0
        self._lock = threading.Lock()

    def current(self) -> str:
        with self._lock:
            now = self._now()
            if self._token is None or now - self._issued_at >= self._lifetime:
                key = self._key()
                self._issued_at = now
                self._token = jwt.encode(
                    {"iss": self._team_id, "iat": int(now)},
                    key.private_key,
                    algorithm="ES256",
                    headers={"kid": key.key_id},
                )
            return self._token

    def renew(self, rejected: str) -> None:
        """APNs refused this token: the next push makes a new one (unless another thread already did)."""
        with self._lock:
            if self._token == rejected:
                self._token = None


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("reason", "")) if isinstance(body, dict) else ""


class ApnsClient:
    """A provider connection to APNs, authenticated one of the two ways Apple offers: the pass type ID certificate
    presented in the TLS handshake (what the Wallet Developer Guide, "Updating a Pass", describes for pass updates:
    `connect_with_certificate`), or a provider token (`connect`, the documented option of a .p8 key)."""

    def __init__(self, base_url: str, token: ProviderToken | None, http: httpx.Client) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._http = http

    @classmethod
    def connect(cls, base_url: str, token: ProviderToken, timeout: float) -> ApnsClient:
        # HTTP/2 only: over TLS it is negotiated (APNs speaks nothing else); over plain http, as for a local
        # stand-in, it is spoken from the first byte (prior knowledge).
        http = new_client(connect_seconds=timeout, read_seconds=timeout, http2=True, max_connections=4)
        return cls(base_url, token, http)

    @classmethod
    def connect_with_certificate(
        cls,
        base_url: str,
        credentials: PassSigningCredentials,
        timeout: float,
        trusted_roots_pem: str | None = None,
    ) -> ApnsClient:
        """Certificate-based trust ("Establishing a certificate-based connection to APNs"): the pass type ID
        certificate and its key, from the pass certificate secret, prove who we are in the TLS handshake, and the
        certificate's pass type ID is the only topic APNs lets the connection push to. `trusted_roots_pem`
        replaces the system's roots (a local stand-in's own CA); Apple's servers are trusted as the system trusts
        them."""
        context = ssl.create_default_context(cadata=trusted_roots_pem) if trusted_roots_pem else None
        context = context or ssl.create_default_context()
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.set_alpn_protocols(["h2"])
        _load_client_certificate(context, credentials)
        http = new_client(
            connect_seconds=timeout, read_seconds=timeout, http2=True, max_connections=4, verify=context
        )
        return cls(base_url, None, http)

    def push(self, push_token: str, topic: str) -> PushOutcome:
        for attempt in range(2):
            provider_token = self._token.current() if self._token is not None else None
            # With certificate-based trust the handshake said who we are: no authorization header.
            authorization = {"authorization": f"bearer {provider_token}"} if provider_token else {}
            try:
                response = self._http.post(
                    f"{self._base_url}/3/device/{push_token}",
                    headers={
                        **authorization,
                        "apns-topic": topic,
                        # A pass update wakes Wallet, not the user: required on watchOS 6+, and with it only
                        # priority 5 is allowed.
                        "apns-push-type": "background",
                        "apns-priority": "5",
                    },
                    content=b"{}",
                )
            except httpx.TransportError as error:
                # A connection APNs closed while the container was frozen fails once; a fresh one is made.
                if attempt == 0:
                    continue
                raise PushFailed(f"APNs unreachable ({type(error).__name__})") from error
            if response.status_code == 200:
                return PushOutcome.DELIVERED
            reason = _reason(response)
            if response.status_code == 410 or reason in DEAD_TOKEN_REASONS:
                return PushOutcome.DEAD_TOKEN
            if (
                response.status_code == 403
                and reason in STALE_PROVIDER_TOKEN_REASONS
                and attempt == 0
                and self._token is not None
                and provider_token is not None
            ):
                self._token.renew(provider_token)
                continue
            raise PushFailed(
                f"APNs answered {response.status_code} {reason or '(no reason)'}", response.status_code
            )
        raise PushFailed("APNs refused the push twice")

    def close(self) -> None:
        self._http.close()


def _load_client_certificate(context: ssl.SSLContext, credentials: PassSigningCredentials) -> None:
    """The certificate and key into the TLS context. `load_cert_chain` reads only files: they are written to a
    private temporary directory (0700, in the container's /tmp) and removed once read."""
    certificate = credentials.certificate.public_bytes(serialization.Encoding.PEM)
    key = credentials.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with tempfile.TemporaryDirectory(prefix="apns-") as directory:
        certificate_path = os.path.join(directory, "certificate.pem")
        key_path = os.path.join(directory, "key.pem")
        for path, content in ((certificate_path, certificate), (key_path, key)):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
        context.load_cert_chain(certificate_path, key_path)


@dataclass(frozen=True)
class PushReport:
    delivered: int
    unregistered: int


class ApplePassNotifier:
    """Tells every device registered for a pass that it changed (what the wallet sync calls)."""

    def __init__(self, wallet: AppleWalletStore, apns: ApnsClient) -> None:
        self.wallet = wallet
        self.apns = apns

    def pass_changed(self, customer_id: str, offer_id: str) -> None:
        self.notify(customer_id, offer_id)

    def notify(self, customer_id: str, offer_id: str) -> PushReport:
        """Push to each registered device; every device is tried before a failure is raised."""
        delivered = unregistered = dead = 0
        failures: list[PushFailed] = []
        devices = self.wallet.devices_of_pass(customer_id, offer_id)
        address = PassAddress(customer_id, offer_id)
        started_at = to_iso(utc_now())
        if devices:
            # Before the push leaves: the fetches it causes count toward this push (domain/wallet_delivery.py).
            self.wallet.delivery.push_started(address, started_at)
        for device in devices:
            try:
                outcome = self.apns.push(device.push_token, device.pass_type_id)
            except PushFailed as failure:
                logger.warning(
                    "push failed",
                    extra={"pushToken": token_fingerprint(device.push_token), "error": str(failure)},
                )
                failures.append(failure)
                continue
            if outcome is PushOutcome.DELIVERED:
                delivered += 1
            else:
                dead += 1
                unregistered += self._forget(device)
        if devices:
            self.wallet.delivery.push_finished(
                address, started_at, push_result(delivered, dead, str(failures[0]) if failures else None)
            )
        if failures:
            raise PushFailed(
                f"{len(failures)} of {len(devices)} pushes failed, first: {failures[0]}"
            ) from failures[0]
        return PushReport(delivered, unregistered)

    def _forget(self, device: DeviceRegistration) -> int:
        removed = self.wallet.unregister(
            device.device_library_id,
            device.pass_type_id,
            device.serial,
            device.address,
            only_push_token=device.push_token,
        )
        count(BusinessEvent.DEAD_PUSH_TOKEN)
        logger.info(
            "APNs called a push token dead; device unregistered",
            extra={"pushToken": token_fingerprint(device.push_token), "removed": removed},
        )
        return int(removed)
