"""The Apple secrets: the Pass Type ID certificate and key with Apple's WWDR intermediate (for signing passes),
and the APNs auth key (for pushes), parsed from the secrets' text (read through `loyalty.adapters.secrets`);
never logged: error messages name what was wrong, never what the secret holds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key


class AppleCredentialsError(Exception):
    """A secret is missing or unusable: an operator's problem, never a client's."""


@dataclass(frozen=True)
class PassSigningCredentials:
    certificate: x509.Certificate
    private_key: RSAPrivateKey | EllipticCurvePrivateKey = field(repr=False)
    wwdr_certificate: x509.Certificate

    def __repr__(self) -> str:
        return f"PassSigningCredentials(subject={self.certificate.subject.rfc4514_string()!r})"


@dataclass(frozen=True)
class ApnsAuthKey:
    key_id: str
    private_key: EllipticCurvePrivateKey = field(repr=False)

    def __repr__(self) -> str:
        return f"ApnsAuthKey(key_id={self.key_id!r})"


def _document(secret: str, what: str) -> dict[str, Any]:
    try:
        document = json.loads(secret)
    except ValueError:
        raise AppleCredentialsError(f"the {what} secret is not JSON") from None
    if not isinstance(document, dict):
        raise AppleCredentialsError(f"the {what} secret is not a JSON object")
    return document


def _text(document: dict[str, Any], name: str, what: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value.strip():
        raise AppleCredentialsError(f"the {what} secret has no `{name}`")
    return value


def _public_der(key: Any) -> bytes:
    der: bytes = key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return der


def parse_pass_signing(secret: str) -> PassSigningCredentials:
    document = _document(secret, "pass certificate")
    password = document.get("passPrivateKeyPassword")
    try:
        certificate = x509.load_pem_x509_certificate(
            _text(document, "passCertificate", "pass certificate").encode()
        )
        wwdr = x509.load_pem_x509_certificate(_text(document, "wwdrCertificate", "pass certificate").encode())
        key = load_pem_private_key(
            _text(document, "passPrivateKey", "pass certificate").encode(),
            password=password.encode() if isinstance(password, str) and password else None,
        )
    except (ValueError, TypeError) as exc:
        raise AppleCredentialsError(
            f"the pass certificate secret is unusable ({type(exc).__name__})"
        ) from None
    if not isinstance(key, RSAPrivateKey | EllipticCurvePrivateKey):
        raise AppleCredentialsError("the pass private key is neither RSA nor EC")
    if _public_der(certificate.public_key()) != _public_der(key.public_key()):
        raise AppleCredentialsError("the pass private key does not belong to the pass certificate")
    return PassSigningCredentials(certificate, key, wwdr)


def parse_apns_key(secret: str) -> ApnsAuthKey:
    document = _document(secret, "APNs key")
    try:
        key = load_pem_private_key(_text(document, "privateKey", "APNs key").encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise AppleCredentialsError(f"the APNs key secret is unusable ({type(exc).__name__})") from None
    if not isinstance(key, EllipticCurvePrivateKey) or not isinstance(key.curve, SECP256R1):
        raise AppleCredentialsError("the APNs key is not a P-256 EC key (ES256)")
    return ApnsAuthKey(_text(document, "keyId", "APNs key"), key)


def certificate_lives(credentials: PassSigningCredentials) -> list[tuple[str, datetime]]:
    """When each certificate sent with a pass stops being valid (the Pass Type ID one, Apple's WWDR)."""
    return [
        ("pass-type-id", credentials.certificate.not_valid_after_utc),
        ("wwdr", credentials.wwdr_certificate.not_valid_after_utc),
    ]
