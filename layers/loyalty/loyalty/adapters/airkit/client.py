"""The AIR Kit credential API: issue on behalf of a user, and read an issuance's status.

Every answer is classified for the workflow in the platform's one idiom (loyalty.adapters.http):
`AirKitUnavailable` (429, 5xx, timeouts, connection failures) is worth retrying with backoff; `AirKitRejected`
(400/401/403/404 and the like) will fail again, and keeps AIR Kit's own message as the reason. AIR Kit's
common-errors page gives 409 for "consent rejected or duplicate": only a 409 whose message says the credential
is already there, under `onDuplicate: "ignore"`, is `AlreadyIssued`; a refused consent (or a 409 that says
neither) is a refusal with AIR Kit's reason, never an issuance.

AIR Kit has no idempotency key, so a failure also says whether AIR Kit may have accepted the request anyway
(`maybe_accepted`): a read timeout or a 5xx after the request left may hide an issuance, while a refused
connection or a 429 cannot. The workflow resubmits an ambiguous attempt with `onDuplicate: "ignore"`."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from loyalty.adapters.airkit.partner_jwt import sign_partner_jwt
from loyalty.adapters.airkit.partner_keys import PartnerKeyring
from loyalty.adapters.http import ServiceRejected, ServiceUnavailable, is_transient
from loyalty.app.ports.credentials import (
    Accepted,
    AlreadyIssued,
    CredentialApiUnavailable,
    CredentialStatus,
    OnDuplicate,
)
from loyalty.domain.clock import Clock
from loyalty.domain.privacy import mask_email
from loyalty.settings import AirKitSettings

WAIT_ONCHAIN = "WAIT_ONCHAIN"
AUTH_HEADER = "x-partner-auth"
MESSAGE_MAX = 300
_EMAILS = re.compile(r"[^\s@\"']+@[^\s@\"']+\.[A-Za-z]{2,}")


class AirKitUnavailable(ServiceUnavailable, CredentialApiUnavailable):
    """Transient: AIR Kit was throttling, failing or too slow. Trying again later may succeed.
    `maybe_accepted`: the request reached AIR Kit and no clear refusal came back, so it may have been issued."""

    def __init__(self, reason: str, status: int | None = None, *, maybe_accepted: bool = False) -> None:
        super().__init__(reason, status)
        self.maybe_accepted = maybe_accepted


class AirKitRejected(ServiceRejected):
    """Permanent: AIR Kit refused the request as it stands; repeating it changes nothing."""


def _air_message(response: httpx.Response) -> str:
    """AIR Kit's own words (`{"error": int, "message": str}`), with any email address in them masked."""
    try:
        body = response.json()
    except ValueError:
        body = None
    message = body.get("message") if isinstance(body, Mapping) else None
    text = str(message) if message else (response.text or response.reason_phrase or "no message")
    text = _EMAILS.sub(lambda m: mask_email(m.group(0)), " ".join(text.split()))
    return text[:MESSAGE_MAX]


def _classify_failure(response: httpx.Response, what: str) -> Exception:
    status = response.status_code
    reason = f"AIR Kit {what} answered {status}: {_air_message(response)}"
    if is_transient(status):
        # A throttle or timeout answer comes before any work; a server error may come after it.
        return AirKitUnavailable(reason, status, maybe_accepted=status >= 500)
    return AirKitRejected(reason, status)


class AirKitClient:
    def __init__(
        self,
        http: httpx.Client,
        settings: AirKitSettings,
        keyring: Callable[[], PartnerKeyring],
        clock: Clock,
    ) -> None:
        self._http = http
        self._settings = settings
        self._keyring = keyring
        self._clock = clock

    def _token(self, email: str | None) -> str:
        settings = self._settings
        return sign_partner_jwt(
            self._keyring().signing_key(settings.key_id),
            partner_id=settings.partner_id,
            scope=settings.scope,
            email=email,
            now=self._clock(),
            ttl_seconds=settings.jwt_ttl_seconds,
        )

    def _call(self, what: str, method: str, path: str, email: str | None, **kwargs: Any) -> httpx.Response:
        settings = self._settings
        try:
            return self._http.request(
                method,
                settings.api_root + path,
                headers={AUTH_HEADER: self._token(email), "Accept": "application/json"},
                timeout=httpx.Timeout(
                    settings.read_timeout_seconds, connect=settings.connect_timeout_seconds
                ),
                **kwargs,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
            # The request never left: AIR Kit cannot have acted on it.
            raise AirKitUnavailable(f"AIR Kit {what} unreachable: {type(error).__name__}") from error
        except httpx.TransportError as error:
            # Sent, and then no answer (read timeout, connection dropped): AIR Kit may have acted on it.
            raise AirKitUnavailable(
                f"AIR Kit {what} gave no answer: {type(error).__name__}", maybe_accepted=True
            ) from error

    def issue_on_behalf(
        self, email: str, subject: Mapping[str, object], on_duplicate: OnDuplicate = "revoke"
    ) -> Accepted | AlreadyIssued:
        response = self._call(
            "issue-on-behalf",
            "POST",
            "/credentials/issue-on-behalf",
            email,
            json={
                "issuerDid": self._settings.issuer_did,
                "credentialId": self._settings.credential_id,
                "credentialSubject": dict(subject),
                "onDuplicate": on_duplicate,
            },
        )
        if response.status_code == 409 and on_duplicate == "ignore" and _says_duplicate(response):
            existing = _body_object(response).get("coreClaimHash")
            return AlreadyIssued(str(existing) if existing else None, _air_message(response))
        if response.status_code != 200:
            raise _classify_failure(response, "issue-on-behalf")
        body = _json_object(response, "issue-on-behalf")
        claim_hash = body.get("coreClaimHash")
        if not isinstance(claim_hash, str) or not claim_hash:
            raise AirKitRejected("AIR Kit issue-on-behalf answered 200 without a coreClaimHash", 200)
        user_uuid = body.get("userUuid")
        return Accepted(claim_hash, str(user_uuid) if user_uuid else None)

    def credential_status(self, core_claim_hash: str, email: str | None) -> CredentialStatus:
        response = self._call(
            "status", "GET", "/credentials/status", email, params={"coreClaimHash": core_claim_hash}
        )
        if response.status_code != 200:
            raise _classify_failure(response, "status")
        body = _json_object(response, "status")
        vc_status = body.get("vcStatus")
        if not isinstance(vc_status, str):
            raise AirKitUnavailable("AIR Kit status answered without a vcStatus", 200)
        vc_id = body.get("vcId")
        return CredentialStatus(
            core_claim_hash=str(body.get("coreClaimHash") or core_claim_hash),
            vc_status=vc_status,
            vc_id=str(vc_id) if vc_id else None,
        )


_DUPLICATE_WORDS = ("already", "duplicate", "exists")
_REFUSAL_WORDS = ("consent", "reject", "denied", "declined")


def _says_duplicate(response: httpx.Response) -> bool:
    """A 409 that speaks of the credential being there, and not of a refusal."""
    message = _air_message(response).lower()
    if any(word in message for word in _REFUSAL_WORDS):
        return False
    return any(word in message for word in _DUPLICATE_WORDS)


def _body_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _json_object(response: httpx.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise AirKitUnavailable(f"AIR Kit {what} answered 200 with a body that is not JSON") from error
    if not isinstance(body, dict):
        raise AirKitUnavailable(f"AIR Kit {what} answered 200 with a body that is not an object")
    return body
