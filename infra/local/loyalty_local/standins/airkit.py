"""A local stand-in for AIR Kit's credential API (`api.sandbox.mocachain.org/v1`), as AIRKIT.md describes it.

It verifies our partner JWTs the way AIR Kit does (signature against the JWKS fetched from OUR URL, `kid`, `typ`,
`exp`, claims), validates issue-on-behalf bodies against the loyalty schema, applies `onDuplicate` per
(email, credentialId), turns WAIT_ONCHAIN into ONCHAIN after a configurable number of polls and delay, answers
dates in AIR Kit's non-ISO format and 404 for unknown hashes. Faults (429, 500, slow answers, never reaching
ONCHAIN, a JWKS that does not match ours) can be switched on, optionally for one recipient only, and everything
received is recorded. `/_control/...` is the test's remote control."""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from loyalty_local.cloud.template import parameter_defaults

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

log = logging.getLogger("loyalty_local.standins.airkit")

API_PREFIX = "/v1"
SCHEMA: dict[str, type] = {"tier": str, "lifetimePoints": int, "memberSince": str, "upgradedAt": str}
MAX_JWT_LIFETIME = 15 * 60
RECEIVED_KEPT = 10_000
# "consent-rejected": the recipient refused the credential. AIR Kit's common-errors page
# (docs.moca.network, airkit/troubleshooting, "common errors") gives 409 for "consent rejected or duplicate", so
# the refusal comes as a 409 whose message says which.
# "duplicate-as-200": a duplicate under `onDuplicate: "ignore"` for this recipient is answered the other way the
# docs describe (200 with the existing credential) instead of `duplicate_answer`.
FAULT_KINDS = ("429", "500", "slow", "never-onchain", "foreign-jwks", "consent-rejected", "duplicate-as-200")
CONSENT_REJECTED = "Consent rejected by the user"
DUPLICATE = "Credential already issued for this user"
# How a duplicate under `onDuplicate: "ignore"` is answered: the issue-on-behalf pages disagree (AIRKIT.md ⚠),
# some give 200 with the existing credential, others 409. Our client must take both; tests choose.
DUPLICATE_ANSWERS = ("409", "200")

LOCAL_PARTNER_ID = "loyalty-local-partner"
LOCAL_ISSUER_DID = "did:air:id:test:loyalty-local-issuer"
LOCAL_CREDENTIAL_ID = "c21loyaltytier0local"
# What AIR Kit's docs name this API's scope (five times); "issue" is the SDK flow's scope and is refused here, so
# a misconfigured scope fails locally before it fails against AIR Kit.
LOCAL_SCOPES = ("issue on-behalf",)
LOCAL_KEY_ID = "loyalty-local-1"
LOCAL_READ_TIMEOUT_SECONDS = 3


class SandboxRefusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Fault:
    kind: str
    endpoint: str = "any"  # "issue", "status" or "any"
    email: str | None = None  # only requests for this recipient
    times: int | None = None  # None: until cleared
    delay_seconds: float = 0.0

    def applies(self, endpoint: str, email: str | None) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.endpoint not in ("any", endpoint):
            return False
        return self.email is None or (email is not None and self.email == email.lower())


@dataclass
class Credential:
    core_claim_hash: str
    email: str
    credential_id: str
    issuer_did: str
    subject: dict[str, Any]
    user_uuid: str
    issued_at: datetime
    polls: int = 0
    revoked_at: datetime | None = None
    onchain_at: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "coreClaimHash": self.core_claim_hash,
            "email": self.email,
            "credentialId": self.credential_id,
            "issuerDid": self.issuer_did,
            "credentialSubject": self.subject,
            "userUuid": self.user_uuid,
            "issuedAt": self.issued_at.isoformat(),
            "polls": self.polls,
            "onchain": self.onchain_at is not None,
            "revoked": self.revoked_at is not None,
        }


@dataclass
class SandboxConfig:
    jwks_url: Callable[[], str]
    partner_id: str = LOCAL_PARTNER_ID
    issuer_did: str = LOCAL_ISSUER_DID
    credential_ids: tuple[str, ...] = (LOCAL_CREDENTIAL_ID,)
    scopes: tuple[str, ...] = LOCAL_SCOPES
    onchain_after_polls: int = 2
    onchain_after_seconds: float = 0.0
    jwks_max_age_seconds: float = 60.0
    duplicate_answer: str = "409"


def air_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _is_iso_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _is_iso_timestamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


@dataclass
class AirKitSandbox:
    config: SandboxConfig
    credentials: dict[str, Credential] = field(default_factory=dict)
    # Bounded, so a long `make run` does not grow without end.
    received: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=RECEIVED_KEPT))
    faults: list[Fault] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _jwks: tuple[float, dict[str, Any]] | None = None
    _foreign_jwks: dict[str, Any] | None = None
    server: ThreadingHTTPServer | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def base_url(self) -> str:
        if self.server is None:
            raise RuntimeError("the AIR Kit sandbox is not started")
        return f"http://127.0.0.1:{self.server.server_address[1]}{API_PREFIX}"

    def serve(self, port: int = 0) -> AirKitSandbox:
        sandbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                sandbox.handle(self, "GET")

            def do_POST(self) -> None:
                sandbox.handle(self, "POST")

            def do_DELETE(self) -> None:
                sandbox.handle(self, "DELETE")

            def log_message(self, format: str, *args: Any) -> None:
                log.debug("airkit-sandbox " + format, *args)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="airkit-sandbox", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.credentials.clear()
            self.received.clear()
            self.faults.clear()
            self._jwks = None

    # ------------------------------------------------------------------ HTTP
    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        try:
            if url.path.startswith("/_control/"):
                status, payload = self.control(method, url.path, parse_qs(url.query), raw)
            else:
                status, payload = self.api(method, url.path, parse_qs(url.query), dict(request.headers), raw)
        except SandboxRefusal as refusal:
            status, payload = refusal.status, {"error": refusal.status, "message": refusal.message}
        body = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def api(
        self, method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        entry: dict[str, Any] = {"method": method, "path": path, "query": query, "at": time.time()}
        with self._lock:
            self.received.append(entry)
        try:
            if method == "POST" and path == f"{API_PREFIX}/credentials/issue-on-behalf":
                status, payload = self._issue(headers, raw, entry)
            elif method == "GET" and path == f"{API_PREFIX}/credentials/status":
                status, payload = self._status(headers, query, entry)
            else:
                raise SandboxRefusal(404, "Not found")
        except SandboxRefusal as refusal:
            entry["status"] = refusal.status
            entry["message"] = refusal.message
            raise
        entry["status"] = status
        return status, payload

    def _fault(self, endpoint: str, email: str | None, kinds: tuple[str, ...]) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.kind in kinds and fault.applies(endpoint, email):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _apply_transport_faults(self, endpoint: str, email: str | None) -> float:
        """Raise a 429/500 fault; answer how long a slow fault holds the answer back (0 for none). A slow
        answer comes after the work is done, as when AIR Kit accepted a credential and its answer was lost on
        the way: the client's read timeout fires, and the credential exists anyway."""
        fault = self._fault(endpoint, email, ("429", "500", "slow"))
        if fault is None:
            return 0.0
        if fault.kind == "slow":
            return fault.delay_seconds or 5.0
        if fault.kind == "429":
            raise SandboxRefusal(429, "Too many requests")
        raise SandboxRefusal(500, "Internal server error")

    def _issue(self, headers: dict[str, str], raw: bytes, entry: dict[str, Any]) -> tuple[int, Any]:
        claims = self._verify(headers, entry, require_email=True, endpoint="issue")
        email = str(claims["email"]).lower()
        answer_delay = self._apply_transport_faults("issue", email)
        status, payload = self._issue_accepted(email, raw, entry)
        time.sleep(answer_delay)
        return status, payload

    def _issue_accepted(self, email: str, raw: bytes, entry: dict[str, Any]) -> tuple[int, Any]:
        try:
            body = json.loads(raw or b"null")
        except ValueError as error:
            raise SandboxRefusal(400, "Invalid JSON body") from error
        entry["body"] = body
        if not isinstance(body, dict):
            raise SandboxRefusal(400, "Body must be an object")
        for required in ("issuerDid", "credentialId", "credentialSubject"):
            if required not in body:
                raise SandboxRefusal(400, f"Missing required field: {required}")
        if body["issuerDid"] != self.config.issuer_did:
            raise SandboxRefusal(404, "Issuer not found")
        if body["credentialId"] not in self.config.credential_ids:
            raise SandboxRefusal(404, "Credential program not found")
        on_duplicate = body.get("onDuplicate", "revoke")
        if on_duplicate not in ("revoke", "ignore"):
            raise SandboxRefusal(400, "onDuplicate must be 'revoke' or 'ignore'")
        subject = self._valid_subject(body["credentialSubject"])
        if self._fault("issue", email, ("consent-rejected",)) is not None:
            raise SandboxRefusal(409, CONSENT_REJECTED)
        with self._lock:
            held = [
                c
                for c in self.credentials.values()
                if c.email == email and c.credential_id == body["credentialId"] and c.revoked_at is None
            ]
            if held and on_duplicate == "ignore":
                as_200 = self._fault("issue", email, ("duplicate-as-200",)) is not None
                if as_200 or self.config.duplicate_answer == "200":
                    existing = held[-1]
                    return 200, {
                        "coreClaimHash": existing.core_claim_hash,
                        "credentialId": existing.credential_id,
                        "userUuid": existing.user_uuid,
                    }
                raise SandboxRefusal(409, DUPLICATE)
            now = datetime.now(UTC)
            for previous in held:
                previous.revoked_at = now
            credential = Credential(
                core_claim_hash="0x" + uuid.uuid4().hex + uuid.uuid4().hex,
                email=email,
                credential_id=body["credentialId"],
                issuer_did=body["issuerDid"],
                subject=subject,
                user_uuid=str(uuid.uuid5(uuid.NAMESPACE_URL, f"air-user:{email}")),
                issued_at=now,
            )
            self.credentials[credential.core_claim_hash] = credential
        return 200, {
            "coreClaimHash": credential.core_claim_hash,
            "credentialId": credential.credential_id,
            "userUuid": credential.user_uuid,
        }

    def _valid_subject(self, subject: Any) -> dict[str, Any]:
        if not isinstance(subject, dict):
            raise SandboxRefusal(400, "credentialSubject must be an object")
        for name, value in subject.items():
            expected = SCHEMA.get(name)
            if expected is None:
                raise SandboxRefusal(400, f"Unknown credentialSubject field: {name}")
            if isinstance(value, bool) or not isinstance(value, expected):
                raise SandboxRefusal(400, f"credentialSubject.{name} must be {expected.__name__}")
        missing = [name for name in SCHEMA if name not in subject]
        if missing:
            raise SandboxRefusal(400, f"Missing credentialSubject fields: {', '.join(missing)}")
        if not _is_iso_date(subject["memberSince"]):
            raise SandboxRefusal(400, "credentialSubject.memberSince must be an ISO date")
        if not _is_iso_timestamp(subject["upgradedAt"]):
            raise SandboxRefusal(400, "credentialSubject.upgradedAt must be an ISO timestamp")
        return dict(subject)

    def _status(
        self, headers: dict[str, str], query: dict[str, list[str]], entry: dict[str, Any]
    ) -> tuple[int, Any]:
        claims = self._verify(headers, entry, require_email=False, endpoint="status")
        email = str(claims["email"]).lower() if claims.get("email") else None
        time.sleep(self._apply_transport_faults("status", email))
        claim_hash = (query.get("coreClaimHash") or [""])[0]
        with self._lock:
            credential = self.credentials.get(claim_hash)
            if credential is None:
                raise SandboxRefusal(404, "No credential found for the given hash.")
            credential.polls += 1
            held_back = self._fault("status", credential.email, ("never-onchain",)) is not None
            ready = (
                credential.polls >= self.config.onchain_after_polls
                and (datetime.now(UTC) - credential.issued_at).total_seconds()
                >= self.config.onchain_after_seconds
            )
            if credential.onchain_at is None and ready and not held_back:
                credential.onchain_at = datetime.now(UTC)
            entry["vcStatus"] = "ONCHAIN" if credential.onchain_at else "WAIT_ONCHAIN"
            return 200, {
                "coreClaimHash": credential.core_claim_hash,
                "issuerDid": credential.issuer_did,
                "issuerId": "issuer-" + credential.issuer_did.rsplit(":", 1)[-1],
                "schemeId": credential.credential_id,
                "vcId": "vc-" + credential.core_claim_hash[2:18],
                "vcDstorageId": "ds-" + credential.core_claim_hash[18:34],
                "issuanceDate": air_date(credential.issued_at),
                "expirationDate": air_date(credential.issued_at.replace(year=credential.issued_at.year + 1)),
                "vcStatus": entry["vcStatus"],
            }

    # ------------------------------------------------------------------ partner JWT
    def _verify(
        self, headers: dict[str, str], entry: dict[str, Any], *, require_email: bool, endpoint: str
    ) -> dict[str, Any]:
        lowered = {k.lower(): v for k, v in headers.items()}
        token = lowered.get("x-partner-auth")
        if not token:
            raise SandboxRefusal(401, "Missing x-partner-auth header")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise SandboxRefusal(401, f"Malformed partner JWT: {error}") from error
        entry["jwtHeader"] = header
        entry["jwtClaims"] = unverified
        if header.get("typ") != "JWT":
            raise SandboxRefusal(401, "Partner JWT header must have typ JWT")
        if header.get("alg") not in ("RS256", "ES256"):
            raise SandboxRefusal(401, "Partner JWT must be signed with RS256 or ES256")
        kid = header.get("kid")
        if not kid:
            raise SandboxRefusal(401, "Partner JWT header must have a kid")
        email = unverified.get("email")
        foreign = self._fault(endpoint, str(email) if email else None, ("foreign-jwks",)) is not None
        jwk = self._key(str(kid), foreign)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=jwt.PyJWK(jwk).key,
                algorithms=[str(header["alg"])],
                options={"require": ["exp", "iat"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SandboxRefusal(401, "Partner JWT expired") from error
        except jwt.PyJWTError as error:
            raise SandboxRefusal(401, f"Partner JWT verification failed: {error}") from error
        if int(claims["exp"]) - int(claims["iat"]) > MAX_JWT_LIFETIME:
            raise SandboxRefusal(401, "Partner JWT lifetime exceeds 15 minutes")
        if claims.get("partnerId") != self.config.partner_id:
            raise SandboxRefusal(401, "Unknown partnerId")
        if claims.get("scope") not in self.config.scopes:
            raise SandboxRefusal(403, "Scope does not allow issue on behalf")
        if require_email and not claims.get("email"):
            raise SandboxRefusal(401, "Partner JWT must name the recipient's email")
        return claims

    def _key(self, kid: str, foreign: bool) -> dict[str, Any]:
        if foreign:
            document = self._foreign_document(kid)
        else:
            document = self._our_jwks(refresh=False)
            if not any(k.get("kid") == kid for k in document.get("keys", [])):
                document = self._our_jwks(refresh=True)
        for key in document.get("keys", []):
            if key.get("kid") == kid:
                return dict(key)
        raise SandboxRefusal(401, f"No key with kid {kid} in the partner JWKS")

    def _our_jwks(self, refresh: bool) -> dict[str, Any]:
        with self._lock:
            cached = self._jwks
        if cached and not refresh and time.monotonic() - cached[0] < self.config.jwks_max_age_seconds:
            return cached[1]
        try:
            response = requests.get(self.config.jwks_url(), timeout=5)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise SandboxRefusal(401, f"Could not fetch the partner JWKS: {type(error).__name__}") from error
        if not isinstance(document, dict):
            raise SandboxRefusal(401, "The partner JWKS is not a JSON object")
        with self._lock:
            self._jwks = (time.monotonic(), document)
        return document

    def _foreign_document(self, kid: str) -> dict[str, Any]:
        """A JWKS with our kid but someone else's key: what AIR Kit holds when the keys do not match."""
        with self._lock:
            if self._foreign_jwks is None:
                stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                self._foreign_jwks = RSAAlgorithm.to_jwk(stranger.public_key(), as_dict=True)
            return {"keys": [{**self._foreign_jwks, "kid": kid, "use": "sig", "alg": "RS256"}]}

    # ------------------------------------------------------------------ control API
    def control(self, method: str, path: str, query: dict[str, list[str]], raw: bytes) -> tuple[int, Any]:
        emails = query.get("email")
        email = emails[0] if emails else None
        if method == "GET" and path == "/_control/received":
            with self._lock:
                entries = [
                    e
                    for e in self.received
                    if email is None or (e.get("jwtClaims") or {}).get("email") == email
                ]
                return 200, {"received": entries}
        if method == "GET" and path == "/_control/credentials":
            with self._lock:
                found = [
                    c.as_dict()
                    for c in self.credentials.values()
                    if email is None or c.email == email.lower()
                ]
            return 200, {"credentials": sorted(found, key=lambda c: str(c["issuedAt"]))}
        if method == "POST" and path == "/_control/faults":
            spec = json.loads(raw or b"{}")
            if spec.get("kind") not in FAULT_KINDS:
                raise SandboxRefusal(400, f"kind must be one of {', '.join(FAULT_KINDS)}")
            fault = Fault(
                kind=str(spec["kind"]),
                endpoint=str(spec.get("endpoint", "any")),
                email=str(spec["email"]).lower() if spec.get("email") else None,
                times=int(spec["times"]) if spec.get("times") is not None else None,
                delay_seconds=float(spec.get("delaySeconds", 0)),
            )
            with self._lock:
                self.faults.append(fault)
            return 201, {"kind": fault.kind, "endpoint": fault.endpoint, "times": fault.times}
        if method == "DELETE" and path == "/_control/faults":
            with self._lock:
                self.faults.clear()
            return 200, {"faults": 0}
        if method == "POST" and path == "/_control/settings":
            spec = json.loads(raw or b"{}")
            with self._lock:
                if "onchainAfterPolls" in spec:
                    self.config.onchain_after_polls = int(spec["onchainAfterPolls"])
                if "onchainAfterSeconds" in spec:
                    self.config.onchain_after_seconds = float(spec["onchainAfterSeconds"])
            return 200, {
                "onchainAfterPolls": self.config.onchain_after_polls,
                "onchainAfterSeconds": self.config.onchain_after_seconds,
            }
        if method == "POST" and path == "/_control/reset":
            self.reset()
            return 200, {"reset": True}
        raise SandboxRefusal(HTTPStatus.NOT_FOUND, "Unknown control endpoint")


def start(stack: LocalStack) -> AirKitSandbox:
    """The stack's add-on: serve the sandbox and point our functions at it (the partner registration of
    AIR Kit points at our JWKS URL on the local gateway)."""
    sandbox = AirKitSandbox(SandboxConfig(jwks_url=lambda: f"{stack.base_url}/.well-known/jwks.json")).serve()
    secret_name = str(parameter_defaults()["AirKitPartnerKeySecretName"])
    provision_partner_key(stack.client("secretsmanager"), secret_name, LOCAL_KEY_ID)
    stack.services["airKit"] = sandbox.base_url
    # The template's AIR Kit parameters, as the local partner registration has them.
    stack.resources.update(
        {
            "AirKitBaseUrl": sandbox.base_url,
            "AirKitPartnerId": sandbox.config.partner_id,
            "AirKitKeyId": LOCAL_KEY_ID,
            "AirKitIssuerDid": sandbox.config.issuer_did,
            "AirKitCredentialId": sandbox.config.credential_ids[0],
            # Short locally, so that a lost answer (the sandbox's slow fault) costs a test seconds, not 20.
            "AirKitReadTimeoutSeconds": str(LOCAL_READ_TIMEOUT_SECONDS),
        }
    )
    return sandbox


def new_private_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def provision_partner_key(secrets: Any, secret_name: str, kid: str) -> None:
    """Our side of the local partner registration: a fresh signing key in (moto's) Secrets Manager."""
    value = json.dumps({"keys": [{"kid": kid, "privateKeyPem": new_private_pem()}]})
    try:
        secrets.create_secret(Name=secret_name, SecretString=value)
    except secrets.exceptions.ResourceExistsException:
        secrets.put_secret_value(SecretId=secret_name, SecretString=value)
