"""Google Wallet's save and delete callbacks, verified before they are believed.

Google signs them with the `ECv2SigningOnly` protocol of its payment-token cryptography (Google Wallet, "Callbacks";
Google Pay, "Payment data cryptography": the steps below are that page's, for the signing-only protocol):
1. the intermediate signing key (`intermediateSigningKey.signedKey`, a JSON string) is signed by one of Google's root
   signing keys: one of its `signatures` verifies, ECDSA P-256 with SHA-256, over
   `len("Google") || "Google" || len(protocol) || protocol || len(signedKey) || signedKey` (lengths 4-byte
   little-endian), with a root key published for `ECv2SigningOnly` and not expired;
2. the intermediate key has not expired (`keyExpiration`, milliseconds);
3. the message's `signature` verifies with the intermediate key over `len(senderId) || senderId || len(recipientId)
   || recipientId || len(protocol) || protocol || len(signedMessage) || signedMessage`, where the sender is
   `GooglePayPasses` and the recipient our issuer id;
4. the message (`signedMessage`: `classId`, `objectId`, `eventType` "save"|"del", `expTimeMillis`, `nonce`) has not
   expired.
Google's root keys are published as JSON (`{"keys": [{"keyValue", "protocolVersion", "keyExpiration"}]}`) at a URL
that is a setting: locally the Google stand-in publishes its own test root key there. No maintained Python library
verifies this protocol (Tink's payment-token recipient is Java only), so the `cryptography` package does the ECDSA
(docs/decisions/0025-google-callbacks-verified-with-cryptography.md).
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_der_public_key

from loyalty.app.ports.delivery import GoogleCallback
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.errors import Unauthorized
from loyalty.domain.ids import is_id

PROTOCOL = "ECv2SigningOnly"
GOOGLE_SENDER = "Google"
PASSES_SENDER = "GooglePayPasses"
EVENT_TYPES = {"save": True, "del": False}
# Google's keys change rarely and are announced ahead; an hour's cache keeps a burst of callbacks to one fetch.
ROOT_KEYS_MAX_AGE_SECONDS = 3600


class ForgedCallback(Unauthorized):
    def __init__(self) -> None:
        super().__init__("This callback does not carry a valid Google signature.")


def length_value(*parts: str) -> bytes:
    """Each part's UTF-8 bytes preceded by their length, 4 bytes little-endian."""
    out = b""
    for part in parts:
        encoded = part.encode()
        out += len(encoded).to_bytes(4, "little") + encoded
    return out


@dataclass(frozen=True)
class RootKey:
    key: ec.EllipticCurvePublicKey
    expires_millis: int | None


def parse_root_keys(document: Any) -> list[RootKey]:
    """The `ECv2SigningOnly` keys of Google's published list (others are skipped, not refused)."""
    keys: list[RootKey] = []
    for entry in document.get("keys", []) if isinstance(document, dict) else []:
        if not isinstance(entry, dict) or entry.get("protocolVersion") != PROTOCOL:
            continue
        key = _public_key(entry.get("keyValue"))
        if key is None:
            continue
        expiration = str(entry.get("keyExpiration") or "")
        keys.append(RootKey(key, int(expiration) if expiration.isdigit() else None))
    return keys


def _public_key(value: object) -> ec.EllipticCurvePublicKey | None:
    if not isinstance(value, str):
        return None
    try:
        key = load_der_public_key(base64.b64decode(value, validate=True))
    except (ValueError, binascii.Error):
        return None
    return key if isinstance(key, ec.EllipticCurvePublicKey) else None


def _verifies(key: ec.EllipticCurvePublicKey, signature: object, message: bytes) -> bool:
    if not isinstance(signature, str):
        return False
    try:
        key.verify(base64.b64decode(signature, validate=True), message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


class PublishedRootKeys:
    """Google's root signing keys, fetched from `url` and kept for ROOT_KEYS_MAX_AGE_SECONDS."""

    def __init__(self, url: str, http: httpx.Client, now: Callable[[], float] = time.monotonic) -> None:
        self._url = url
        self._http = http
        self._now = now
        self._keys: list[RootKey] = []
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> list[RootKey]:
        with self._lock:
            if self._fetched_at is None or self._now() - self._fetched_at >= ROOT_KEYS_MAX_AGE_SECONDS:
                response = self._http.get(self._url)
                response.raise_for_status()
                self._keys = parse_root_keys(response.json())
                self._fetched_at = self._now()
            return self._keys


class CallbackVerifier:
    def __init__(
        self,
        root_keys: Callable[[], list[RootKey]],
        issuer_id: str,
        now_millis: Callable[[], int] = lambda: int(time.time() * 1000),
    ) -> None:
        self._root_keys = root_keys
        self._issuer_id = issuer_id
        self._now_millis = now_millis

    def verify(self, payload: object) -> GoogleCallback:
        """The event a callback body (parsed JSON) carries, once every check above holds; ForgedCallback else."""
        if not isinstance(payload, dict) or payload.get("protocolVersion") != PROTOCOL:
            raise ForgedCallback()
        now = self._now_millis()
        intermediate = payload.get("intermediateSigningKey")
        if not isinstance(intermediate, dict) or not isinstance(intermediate.get("signedKey"), str):
            raise ForgedCallback()
        signed_key: str = intermediate["signedKey"]
        signatures = intermediate.get("signatures")
        signed_by_google = length_value(GOOGLE_SENDER, PROTOCOL, signed_key)
        roots = [r for r in self._root_keys() if r.expires_millis is None or r.expires_millis > now]
        if not isinstance(signatures, list) or not any(
            _verifies(root.key, signature, signed_by_google) for root in roots for signature in signatures
        ):
            raise ForgedCallback()
        key_document = _json_object(signed_key)
        key = _public_key(key_document.get("keyValue"))
        expiration = str(key_document.get("keyExpiration", ""))
        if key is None or not expiration.isdigit() or int(expiration) <= now:
            raise ForgedCallback()
        signed_message = payload.get("signedMessage")
        if not isinstance(signed_message, str) or not _verifies(
            key,
            payload.get("signature"),
            length_value(PASSES_SENDER, self._issuer_id, PROTOCOL, signed_message),
        ):
            raise ForgedCallback()
        message = _json_object(signed_message)
        expires = message.get("expTimeMillis")
        event = message.get("eventType")
        object_id = message.get("objectId")
        nonce = message.get("nonce")
        if (
            not isinstance(expires, int)
            or expires <= now
            or event not in EVENT_TYPES
            or not isinstance(object_id, str)
            or not isinstance(nonce, str)
        ):
            raise ForgedCallback()
        return GoogleCallback(
            object_id=object_id,
            saved=EVENT_TYPES[str(event)],
            sent_at_millis=expires,
            nonce=nonce,
            address=self.pass_of_object(object_id),
        )

    def pass_of_object(self, object_id: str) -> PassAddress | None:
        """Which pass an object of ours is (`<issuerId>.<customerId>-<offerId>`); None for anything else."""
        prefix = f"{self._issuer_id}."
        if not object_id.startswith(prefix):
            return None
        customer_id, _, offer_id = object_id[len(prefix) :].partition("-")
        if not (is_id(customer_id, "cus") and is_id(offer_id, "off")):
            return None
        return PassAddress(customer_id, offer_id)


def _json_object(text: str) -> dict[str, Any]:
    try:
        document = json.loads(text)
    except ValueError:
        raise ForgedCallback() from None
    if not isinstance(document, dict):
        raise ForgedCallback()
    return document
