"""Our partner signing keys, kept in Secrets Manager (read through `loyalty.adapters.secrets`), and the JWKS
document AIR Kit verifies our JWTs with.

The secret holds every key in service (`{"keys": [{"kid": ..., "privateKeyPem": ...}, ...]}`): during a rotation
the new key is added, published in the JWKS, and only then made the signing key (AIRKIT_KEY_ID)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"
MIN_RSA_BITS = 2048


class PartnerKeyError(Exception):
    """The partner key secret is missing, malformed or lacks the configured key (an operator's mistake)."""


@dataclass(frozen=True)
class PartnerKey:
    kid: str
    private_key: RSAPrivateKey = field(repr=False)

    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = RSAAlgorithm.to_jwk(self.private_key.public_key(), as_dict=True)
        # "use" says what the key is for; RFC 7517 advises against also sending "key_ops".
        public = {name: jwk[name] for name in ("kty", "n", "e")}
        return {**public, "kid": self.kid, "use": "sig", "alg": ALGORITHM}


@dataclass(frozen=True)
class PartnerKeyring:
    keys: tuple[PartnerKey, ...]

    def signing_key(self, kid: str) -> PartnerKey:
        for key in self.keys:
            if key.kid == kid:
                return key
        raise PartnerKeyError(f"no partner key with kid {kid!r} in the secret")

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk() for key in self.keys]}


def keyring_from_secret(secret_string: str) -> PartnerKeyring:
    try:
        document = json.loads(secret_string)
        entries = document["keys"]
        keys = tuple(_key(str(e["kid"]), str(e["privateKeyPem"])) for e in entries)
    except (ValueError, KeyError, TypeError) as error:
        # Never echo the secret's content: only say what shape was expected.
        raise PartnerKeyError(
            'the partner key secret must be {"keys": [{"kid": str, "privateKeyPem": str}, ...]}'
        ) from error
    if not keys or len({k.kid for k in keys}) != len(keys):
        raise PartnerKeyError("the partner key secret needs at least one key and distinct kids")
    return PartnerKeyring(keys)


def _key(kid: str, pem: str) -> PartnerKey:
    private_key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(private_key, RSAPrivateKey) or private_key.key_size < MIN_RSA_BITS:
        raise PartnerKeyError(f"partner key {kid!r} must be an RSA key of at least {MIN_RSA_BITS} bits")
    return PartnerKey(kid, private_key)
