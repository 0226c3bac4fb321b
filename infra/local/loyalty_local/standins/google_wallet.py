"""A local stand-in for Google Wallet: the walletobjects v1 API and the OAuth token endpoint.

It behaves as Google does where our code depends on it: the token endpoint takes only a JWT-bearer assertion
signed by a service account it knows (audience = its own token URL, the wallet scope, at most an hour), the
API takes only the bearer tokens it issued, ids must be `<issuerId>.<[A-Za-z0-9._-]+>` of its issuer, every
body must conform to Google's walletobjects v1 discovery document (unknown fields, wrong types and values outside
an enum are 400; see walletobjects_schema), a class may only be set to draft or underReview and a draft class
holds no objects, a class sent for review is approved and an update of an approved class must say `underReview`
again, module ids are `[A-Za-z0-9_-]`, inserting an existing resource is 409, PATCH changes only the fields it
names (lists replaced whole), a PATCH with `notifyPreference: NOTIFY_ON_UPDATE` notifies only when it changes a
field Google's published list names, a `TEXT_AND_NOTIFY` message notifies, and a fourth notification for a pass
within 24 hours is refused with 429 (each rule cites its page where it is made).

Every request is recorded (method, path, body, answered status) so tests assert every PATCH; faults can be
queued to make the next matching requests fail. Out of process (`make run`) the same is reachable over HTTP
under `/_standin/` (requests, faults, reset).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from loyalty_local.standins.google_callbacks import ROOT_KEYS_PATH, CallbackSigner
from loyalty_local.standins.walletobjects_schema import (
    class_problems,
    is_draft,
    object_problems,
    schema_problems,
)

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

log = logging.getLogger("loyalty_local.standins.google_wallet")

API_PREFIX = "/walletobjects/v1"
TOKEN_PATH = "/token"
WALLET_SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer"
JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# developers.google.com/wallet/retail/loyalty-cards/use-cases/trigger-push-notifications: message and field
# update notifications together are limited to 3 per pass in 24 hours; past that Google answers a quota error.
NOTIFICATIONS_PER_DAY = 3
NOTIFICATION_WINDOW_SECONDS = 24 * 3600
# The same page: updating "specific fields like rewardsTier, loyaltyPoints.balance" with notifyPreference
# NOTIFY_ON_UPDATE notifies. Of the LoyaltyObject's fields only `loyaltyPoints.balance` is on that list
# (`rewardsTier` is the class's); a field no published list names notifies nobody.
NOTIFIED_FIELDS = (("loyaltyPoints", "balance"),)
# walletobjects v1 discovery document, LoyaltyClass.reviewStatus: "The platform will automatically set this
# field to `approved` … When updating an already `approved` class you should keep setting this field to
# `underReview`."
APPROVED = "APPROVED"
# walletobjects v1 reference, LoyaltyObject (developers.google.com/wallet/reference/rest/v1/loyaltyobject):
# `hasUsers` "Indicates if the object has users. This field is set by the platform." It is answered on a GET, true
# once a holder saved the object, whether or not a callback went out. The page does not say that a removal
# clears it, so a removal leaves it as it is.
HAS_USERS = "hasUsers"
UNDER_REVIEW = frozenset({"underReview", "UNDER_REVIEW"})

Resource = dict[str, Any]


def throwaway_service_account(
    client_email: str = "wallet-local@loyalty-local.iam.gserviceaccount.com", token_uri: str = ""
) -> dict[str, str]:
    """A service-account key JSON with a fresh RSA key: for the local stack and tests, never for Google."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return {
        "type": "service_account",
        "project_id": "loyalty-local",
        "private_key_id": secrets.token_hex(20),
        "private_key": pem,
        "client_email": client_email,
        "client_id": str(secrets.randbelow(10**20)),
        "token_uri": token_uri,
    }


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: Any
    status: int
    at: str


@dataclass
class _Fault:
    method: str
    path_contains: str
    status: int
    remaining: int


@dataclass
class _State:
    classes: dict[str, Resource] = field(default_factory=dict)
    objects: dict[str, Resource] = field(default_factory=dict)
    tokens: dict[str, float] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)
    notifications: dict[str, list[str]] = field(default_factory=dict)
    # Monotonic seconds of each notification a pass was sent, for the 24-hour quota.
    notified_at: dict[str, list[float]] = field(default_factory=dict)
    # Objects a holder has saved (their `hasUsers`, see HAS_USERS).
    saved: set[str] = field(default_factory=set)


class StandinError(Exception):
    def __init__(self, status: int, message: str, reason: str = "invalid") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class GoogleWalletStandin:
    def __init__(self, issuer_id: str, host: str = "127.0.0.1", port: int = 0, token_ttl_seconds: int = 3600):
        self.issuer_id = issuer_id
        self.token_ttl_seconds = token_ttl_seconds
        self._accounts: dict[str, PublicKeyTypes] = {}
        self._state = _State()
        self._lock = threading.Lock()
        # Google's root and intermediate signing keys for the save/delete callbacks (a test pair of its own).
        self.signer = CallbackSigner(issuer_id)
        self.callbacks_sent: list[tuple[str, str, int]] = []
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ----- lifecycle and addresses
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_base_url(self) -> str:
        return self.url + API_PREFIX

    @property
    def token_url(self) -> str:
        return self.url + TOKEN_PATH

    def start(self) -> GoogleWalletStandin:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="google-wallet-standin", daemon=True
        )
        self._thread.start()
        return self

    def describe(self) -> str:
        return f"  Google Wallet  {self.url}   (stand-in; requests at {self.url}/_standin/requests)"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ----- what tests set up and look at
    def trust(self, service_account: dict[str, str]) -> None:
        """Accept assertions signed by this service account's key."""
        key = serialization.load_pem_private_key(service_account["private_key"].encode(), password=None)
        self._accounts[service_account["client_email"]] = key.public_key()

    def public_key(self, client_email: str) -> PublicKeyTypes | None:
        """The key this stand-in checks a service account's signatures with (tests check save links with it)."""
        return self._accounts.get(client_email)

    def fail_next(self, method: str, path_contains: str, status: int = 503, times: int = 1) -> None:
        with self._lock:
            self._state.faults.append(_Fault(method.upper(), path_contains, status, times))

    def revoke_tokens(self) -> None:
        with self._lock:
            self._state.tokens.clear()

    def reset(self) -> None:
        with self._lock:
            accounts_kept = self._accounts
            self._state = _State()
            self._accounts = accounts_kept

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._state.requests)

    def api_requests(self, method: str | None = None, collection: str | None = None) -> list[RecordedRequest]:
        prefix = f"{API_PREFIX}/{collection}" if collection else API_PREFIX
        return [
            r
            for r in self.requests
            if r.path.startswith(prefix) and (method is None or r.method == method.upper())
        ]

    def object_patches(self, object_id: str | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.api_requests("PATCH", "loyaltyObject")
            if object_id is None or r.path == f"{API_PREFIX}/loyaltyObject/{object_id}"
        ]

    def wallet_object(self, object_id: str) -> Resource | None:
        with self._lock:
            found = self._state.objects.get(object_id)
            return json.loads(json.dumps(found)) if found is not None else None

    def wallet_class(self, class_id: str) -> Resource | None:
        with self._lock:
            found = self._state.classes.get(class_id)
            return json.loads(json.dumps(found)) if found is not None else None

    def notifications(self, object_id: str) -> list[str]:
        with self._lock:
            return list(self._state.notifications.get(object_id, []))

    @property
    def root_keys_url(self) -> str:
        return self.url + ROOT_KEYS_PATH

    def save(self, object_id: str) -> int:
        """The holder saves the object in their wallet: the object has users from then on (`hasUsers`), and
        Google posts a signed `save` to the class's callback URL (the answer's status is returned; no callback URL
        on the class, as before callbacks were subscribed: nothing is sent, 0)."""
        return self._holder(object_id, "save")

    def remove(self, object_id: str) -> int:
        """The holder removes the object from their wallet: a signed `del`."""
        return self._holder(object_id, "del")

    def _holder(self, object_id: str, event_type: str) -> int:
        with self._lock:
            wallet_object = self._state.objects.get(object_id)
            if wallet_object is None:
                raise StandinError(404, f"Resource not found: object {object_id}", "resourceNotFound")
            class_id = str(wallet_object["classId"])
            if event_type == "save":
                self._state.saved.add(object_id)
            url = (self._state.classes.get(class_id) or {}).get("callbackOptions", {}).get("url")
        if not url:
            return 0
        body = self.signer.callback(class_id, object_id, event_type)
        status = httpx.post(url, json=body, timeout=30).status_code
        with self._lock:
            self.callbacks_sent.append((object_id, event_type, status))
        return status

    # ----- request handling (called by the HTTP handler)
    def handle(self, method: str, raw_path: str, headers: dict[str, str], raw_body: bytes) -> tuple[int, Any]:
        path = unquote(urlsplit(raw_path).path)
        body = _decode_body(headers.get("content-type", ""), raw_body)
        try:
            status, answer = self._route(method, path, headers, body)
        except StandinError as exc:
            status, answer = exc.status, _google_error(exc.status, str(exc), exc.reason)
        if not path.startswith("/_standin/"):
            with self._lock:
                self._state.requests.append(RecordedRequest(method, path, body, status, _now_iso()))
        return status, answer

    def _route(self, method: str, path: str, headers: dict[str, str], body: Any) -> tuple[int, Any]:
        if path.startswith("/_standin/"):
            return self._control(method, path, body)
        fault = self._take_fault(method, path)
        if fault is not None:
            raise StandinError(fault, "injected fault", "backendError")
        if path == ROOT_KEYS_PATH and method == "GET":
            return 200, self.signer.published_keys()
        if path == TOKEN_PATH and method == "POST":
            return self._grant(body if isinstance(body, dict) else {})
        if not path.startswith(API_PREFIX + "/"):
            raise StandinError(404, f"no route {method} {path}", "notFound")
        self._check_bearer(headers.get("authorization", ""))
        collection, _, resource_id = path[len(API_PREFIX) + 1 :].partition("/")
        if collection not in ("loyaltyClass", "loyaltyObject"):
            raise StandinError(404, f"no collection {collection}", "notFound")
        with self._lock:
            store = self._state.classes if collection == "loyaltyClass" else self._state.objects
            if method == "POST" and not resource_id:
                return self._insert(collection, store, body)
            if method == "POST" and collection == "loyaltyObject" and resource_id.endswith("/addMessage"):
                return self._add_message(resource_id.removesuffix("/addMessage"), body)
            if method == "GET" and resource_id:
                found = self._existing(store, resource_id)
                if collection == "loyaltyObject":
                    return 200, {**found, HAS_USERS: resource_id in self._state.saved}
                return 200, found
            if method == "PATCH" and resource_id:
                return self._patch(collection, store, resource_id, body)
        raise StandinError(404, f"no route {method} {path}", "notFound")

    def _take_fault(self, method: str, path: str) -> int | None:
        with self._lock:
            for fault in self._state.faults:
                if fault.remaining > 0 and fault.method == method and fault.path_contains in path:
                    fault.remaining -= 1
                    return fault.status
        return None

    def _control(self, method: str, path: str, body: Any) -> tuple[int, Any]:
        if path == "/_standin/requests" and method == "GET":
            return 200, {"requests": [asdict(r) for r in self.requests]}
        if path == "/_standin/faults" and method == "POST":
            self.fail_next(
                str(body["method"]),
                str(body["pathContains"]),
                int(body.get("status", 503)),
                int(body.get("times", 1)),
            )
            return 204, None
        if path == "/_standin/reset" and method == "POST":
            self.reset()
            return 204, None
        raise StandinError(404, f"no control route {method} {path}", "notFound")

    def _grant(self, form: dict[str, Any]) -> tuple[int, Any]:
        if form.get("grant_type") != JWT_BEARER_GRANT:
            return 400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
        assertion = str(form.get("assertion", ""))
        try:
            issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss", "")
            key = self._accounts.get(issuer)
            if key is None:
                return 400, {"error": "invalid_grant", "error_description": "Invalid issuer: unknown account"}
            claims = jwt.decode(
                assertion,
                key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.token_url,
                options={"require": ["iss", "aud", "iat", "exp", "scope"]},
            )
        except jwt.PyJWTError as exc:
            return 400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {exc}"}
        if int(claims["exp"]) - int(claims["iat"]) > 3600:
            return 400, {"error": "invalid_grant", "error_description": "Invalid JWT: exp too far from iat"}
        if WALLET_SCOPE not in str(claims["scope"]).split():
            return 400, {"error": "invalid_scope", "error_description": "The wallet issuer scope is required"}
        token = "ya29.standin-" + secrets.token_urlsafe(32)
        with self._lock:
            self._state.tokens[token] = time.time() + self.token_ttl_seconds
        return 200, {"access_token": token, "expires_in": self.token_ttl_seconds, "token_type": "Bearer"}

    def _check_bearer(self, authorization: str) -> None:
        scheme, _, token = authorization.partition(" ")
        with self._lock:
            expires = self._state.tokens.get(token) if scheme.lower() == "bearer" else None
        if expires is None or expires <= time.time():
            raise StandinError(401, "Request had invalid authentication credentials.", "authError")

    def _check_id(self, resource_id: Any) -> str:
        if not isinstance(resource_id, str) or not re.fullmatch(r"[0-9]+\.[A-Za-z0-9._-]+", resource_id):
            raise StandinError(400, f"Invalid resource ID: {resource_id!r}", "invalidResource")
        if resource_id.split(".", 1)[0] != self.issuer_id:
            raise StandinError(403, "The caller does not have permission for this issuer", "permissionDenied")
        return resource_id

    def _existing(self, store: dict[str, Resource], resource_id: str) -> Resource:
        found = store.get(resource_id)
        if found is None:
            raise StandinError(404, f"Resource not found: {resource_id}", "resourceNotFound")
        return found

    def _insert(self, collection: str, store: dict[str, Resource], body: Any) -> tuple[int, Any]:
        if not isinstance(body, dict):
            raise StandinError(400, "a JSON resource is required", "invalidResource")
        resource_id = self._check_id(body.get("id"))
        if collection == "loyaltyClass":
            _validate_class(body)
        else:
            _validate_object(body)
            class_id = str(body.get("classId", ""))
            wallet_class = self._state.classes.get(class_id)
            if wallet_class is None:
                raise StandinError(404, f"Resource not found: class {class_id}", "resourceNotFound")
            if is_draft(wallet_class):
                raise StandinError(
                    400, f"Class {class_id} is in draft: it cannot hold objects", "invalidResource"
                )
        if resource_id in store:
            raise StandinError(409, f"Resource already exists: {resource_id}", "alreadyExists")
        resource = {**body, "kind": f"walletobjects#{collection}"}
        if collection == "loyaltyClass" and body.get("reviewStatus") in UNDER_REVIEW:
            # Google approves a class sent for review (see APPROVED); a draft stays a draft.
            resource["reviewStatus"] = APPROVED
        store[resource_id] = resource
        return 200, resource

    def _patch(
        self, collection: str, store: dict[str, Resource], resource_id: str, body: Any
    ) -> tuple[int, Any]:
        current = self._existing(store, resource_id)
        if not isinstance(body, dict):
            raise StandinError(400, "a JSON resource is required", "invalidResource")
        if "id" in body and body["id"] != resource_id:
            raise StandinError(400, "the id of a resource cannot change", "invalidResource")
        # notifyPreference holds for this request only; Google does not keep it on the resource.
        notify = body.get("notifyPreference") == "NOTIFY_ON_UPDATE"
        if collection == "loyaltyClass":
            _refuse(class_problems(body, patch=True))
            if not is_draft(current) and is_draft(body):
                raise StandinError(400, "A class cannot go back to draft", "invalidResource")
            if current.get("reviewStatus") == APPROVED and body.get("reviewStatus") not in UNDER_REVIEW:
                raise StandinError(
                    400,
                    "An update of an approved class must set reviewStatus to underReview",
                    "invalidResource",
                )
        else:
            _refuse(object_problems(body))
        updated = {**current, **{key: value for key, value in body.items() if key != "notifyPreference"}}
        if collection == "loyaltyClass":
            _validate_class(updated)
            if updated.get("reviewStatus") in UNDER_REVIEW:
                updated["reviewStatus"] = APPROVED
        else:
            _validate_object(updated)
            if notify and _notified_change(current, updated):
                self._notify(resource_id)
        store[resource_id] = updated
        return 200, updated

    def _add_message(self, object_id: str, body: Any) -> tuple[int, Any]:
        """loyaltyobject.addmessage: the message joins the object's messages; TEXT_AND_NOTIFY also notifies
        (trigger-push-notifications page, "Add Message and Notify"), within the same 3-a-day quota."""
        current = self._existing(self._state.objects, self._check_id(object_id))
        if not isinstance(body, dict) or not isinstance(body.get("message"), dict):
            raise StandinError(400, "an AddMessageRequest with a message is required", "invalidResource")
        _refuse(schema_problems("AddMessageRequest", body))
        message = body["message"]
        if message.get("messageType") == "TEXT_AND_NOTIFY":
            self._notify(object_id)
        updated = {**current, "messages": [*current.get("messages", []), message]}
        self._state.objects[object_id] = updated
        return 200, {"resource": updated}

    def _notify(self, object_id: str) -> None:
        now = time.monotonic()
        recent = [
            at for at in self._state.notified_at.get(object_id, []) if now - at < NOTIFICATION_WINDOW_SECONDS
        ]
        if len(recent) >= NOTIFICATIONS_PER_DAY:
            raise StandinError(
                429, f"Notification quota exceeded for {object_id}: 3 per pass in 24 hours", "quotaExceeded"
            )
        self._state.notified_at[object_id] = [*recent, now]
        self._state.notifications.setdefault(object_id, []).append(_now_iso())


def _refuse(problems: list[str]) -> None:
    if problems:
        raise StandinError(400, "Invalid resource: " + "; ".join(problems[:5]), "invalidResource")


def _validate_class(resource: Resource) -> None:
    _refuse(class_problems(resource))
    for required in ("issuerName", "programName", "programLogo"):
        if not resource.get(required):
            raise StandinError(400, f"loyaltyClass.{required} is required", "invalidResource")
    if not resource["programLogo"].get("sourceUri", {}).get("uri"):
        raise StandinError(400, "loyaltyClass.programLogo.sourceUri.uri is required", "invalidResource")


def _validate_object(resource: Resource) -> None:
    _refuse(object_problems(resource))
    for required in ("classId", "state"):
        if not resource.get(required):
            raise StandinError(400, f"loyaltyObject.{required} is required", "invalidResource")


def _notified_change(before: Resource, after: Resource) -> bool:
    def field(resource: Resource, path: tuple[str, str]) -> Any:
        outer = resource.get(path[0])
        return outer.get(path[1]) if isinstance(outer, dict) else None

    return any(field(before, path) != field(after, path) for path in NOTIFIED_FIELDS)


def _google_error(status: int, message: str, reason: str) -> Resource:
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": "global", "reason": reason}],
            "status": HTTPStatus(status).name,
        }
    }


def _decode_body(content_type: str, raw: bytes) -> Any:
    if not raw:
        return None
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {key: values[0] for key, values in parse_qs(raw.decode()).items()}
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _handler_for(standin: GoogleWalletStandin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body leave in two writes; with Nagle on, each answer waits out the client's delayed ACK.
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, answer = standin.handle(self.command, self.path, headers, raw)
            payload = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


LOCAL_ISSUER_ID = "3388000000022222222"
LOCAL_SECRET_NAME = "loyalty/local/google-wallet-service-account"
LOCAL_ISSUER_NAME = "Stamp Card (local)"
PROGRAM_LOGO_PATH = "/static/program-logo.png"
CALLBACK_PATH = "/wallet/google/callback"


def local_service_account(data_dir: Path | None) -> dict[str, str]:
    """The local stack's throwaway key: kept under `.local/` so restarts keep it, in memory for tests."""
    if data_dir is None:
        return throwaway_service_account()
    path = data_dir / "google-wallet" / "service-account.json"
    if path.exists():
        loaded: dict[str, str] = json.loads(path.read_text())
        return loaded
    account = throwaway_service_account()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(account))
    return account


def start(stack: LocalStack) -> GoogleWalletStandin:
    """Local-stack add-on: the stand-in on a free port, its key in moto's Secrets Manager, and the functions'
    Google Wallet settings pointed at it (the same variables a deployment sets, plus the base URLs)."""
    account = local_service_account(stack.config.data_dir)
    standin = GoogleWalletStandin(LOCAL_ISSUER_ID, host=stack.config.host).start()
    standin.trust(account)
    secrets_client = stack.client("secretsmanager")
    try:
        arn = secrets_client.create_secret(Name=LOCAL_SECRET_NAME, SecretString=json.dumps(account))["ARN"]
    except secrets_client.exceptions.ResourceExistsException:
        arn = secrets_client.put_secret_value(SecretId=LOCAL_SECRET_NAME, SecretString=json.dumps(account))[
            "ARN"
        ]
    # Template references resolve to these local values (see LocalStack.resolve).
    stack.resources.update(
        {
            "GoogleWalletServiceAccountSecret": str(arn),
            "GoogleWalletIssuerId": LOCAL_ISSUER_ID,
            "GoogleWalletIssuerName": LOCAL_ISSUER_NAME,
            "GoogleWalletProgramLogoUrl": standin.url + PROGRAM_LOGO_PATH,
        }
    )
    stack.endpoints["GOOGLE_WALLET_API_BASE_URL"] = standin.api_base_url
    stack.endpoints["GOOGLE_WALLET_TOKEN_URL"] = standin.token_url
    stack.endpoints["GOOGLE_WALLET_CALLBACK_KEYS_URL"] = standin.root_keys_url
    # The class's callbackOptions.url: Google's callbacks come to the local gateway.
    stack.config.overrides["GOOGLE_WALLET_CALLBACK_URL"] = stack.base_url + CALLBACK_PATH
    stack.services["googleWallet"] = standin.url
    log.info("Google Wallet stand-in at %s (issuer %s)", standin.url, LOCAL_ISSUER_ID)
    return standin
