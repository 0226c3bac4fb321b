"""Google Wallet's signed callbacks, as the stand-in sends them: when a holder saves or removes an object, Google
posts `{"eventType": "save"|"del", ...}` to the class's `callbackOptions.url`, signed with the `ECv2SigningOnly`
protocol (Google Wallet, "Callbacks"; Google Pay, "Payment data cryptography": an intermediate signing key signed
by a root signing key, the message signed by the intermediate key; every signed string is its parts each preceded
by its length, 4 bytes little-endian). Google's root keys are published as `{"keys": [{"keyValue",
"protocolVersion", "keyExpiration"}]}`; the stand-in publishes its own test root key the same way, and the local
stack points the functions' setting at it in place of Google's."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

PROTOCOL = "ECv2SigningOnly"
ROOT_KEYS_PATH = "/gp/m/issuer/keys"
# How long Google's messages and intermediate keys stay valid (ours: long enough for a slow test, not forever).
MESSAGE_LIFETIME_MS = 5 * 60 * 1000
INTERMEDIATE_LIFETIME_MS = 24 * 3600 * 1000


def _length_value(*parts: str) -> bytes:
    out = b""
    for part in parts:
        encoded = part.encode()
        out += len(encoded).to_bytes(4, "little") + encoded
    return out


def _public_der(key: ec.EllipticCurvePrivateKey) -> str:
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def _sign(key: ec.EllipticCurvePrivateKey, message: bytes) -> str:
    return base64.b64encode(key.sign(message, ec.ECDSA(hashes.SHA256()))).decode()


@dataclass
class CallbackSigner:
    issuer_id: str
    root: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    intermediate: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )

    def published_keys(self) -> dict[str, Any]:
        return {"keys": [{"keyValue": _public_der(self.root), "protocolVersion": PROTOCOL}]}

    def callback(
        self,
        class_id: str,
        object_id: str,
        event_type: str,
        *,
        now_ms: int | None = None,
        message_lifetime_ms: int = MESSAGE_LIFETIME_MS,
    ) -> dict[str, Any]:
        """A callback body as Google sends it for one save ("save") or removal ("del") of an object."""
        now = int(time.time() * 1000) if now_ms is None else now_ms
        signed_key = json.dumps(
            {
                "keyValue": _public_der(self.intermediate),
                "keyExpiration": str(now + INTERMEDIATE_LIFETIME_MS),
            }
        )
        signed_message = json.dumps(
            {
                "classId": class_id,
                "objectId": object_id,
                "eventType": event_type,
                "expTimeMillis": now + message_lifetime_ms,
                "count": 1,
                "nonce": secrets.token_hex(16),
            }
        )
        return {
            "signature": _sign(
                self.intermediate, _length_value("GooglePayPasses", self.issuer_id, PROTOCOL, signed_message)
            ),
            "intermediateSigningKey": {
                "signedKey": signed_key,
                "signatures": [_sign(self.root, _length_value("Google", PROTOCOL, signed_key))],
            },
            "protocolVersion": PROTOCOL,
            "signedMessage": signed_message,
        }
