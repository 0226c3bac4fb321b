"""The local stand-in for the Cognito user pool: an RS256 key under .local/, tokens shaped like Cognito ID
tokens, and the same checks the HTTP API JWT authorizer makes (kid of a published key, signature, alg allow-list,
iss, aud, exp)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from loyalty_local.cloud.template import REPO_ROOT

DEFAULT_KEY_PATH = REPO_ROOT / ".local/auth/user-pool-signing-key.pem"
LOCAL_ISSUER = "http://127.0.0.1/local-user-pool"
LOCAL_AUDIENCE = "loyalty-local-client"
ALLOWED_ALGORITHMS = ["RS256"]
KEY_ID = "local-user-pool-1"
# The demo business `make run` seeds, and its branch: what the local sign-in page preselects.
DEMO_BUSINESS = "biz_democoffee01"
DEMO_BRANCH = "branch-downtown"


class TokenRejected(Exception):
    """The token would not pass the JWT authorizer."""


@dataclass(frozen=True)
class LocalUserPool:
    private_key: rsa.RSAPrivateKey
    issuer: str = LOCAL_ISSUER
    audience: str = LOCAL_AUDIENCE

    @classmethod
    def load_or_create(cls, key_path: Path = DEFAULT_KEY_PATH) -> LocalUserPool:
        if key_path.exists():
            key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
            if not isinstance(key, rsa.RSAPrivateKey):
                raise TypeError(f"{key_path} is not an RSA private key: delete it to get a fresh one")
            return cls(key)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        key_path.parent.mkdir(parents=True, exist_ok=True)
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        key_path.chmod(0o600)
        return cls(key)

    def issue(
        self,
        role: str,
        business_id: str,
        branch_id: str | None = None,
        ttl: int = 3600,
        sub: str | None = None,
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": sub or str(uuid.uuid4()),
            "iss": self.issuer,
            "aud": self.audience,
            "token_use": "id",
            "iat": now,
            "auth_time": now,
            "exp": now + ttl,
            "cognito:groups": [role],
            "custom:businessId": business_id,
        }
        if branch_id:
            claims["custom:branchId"] = branch_id
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": KEY_ID})

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token the HTTP API JWT authorizer would accept; TokenRejected otherwise."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise TokenRejected("algorithm not allowed")
            # The authorizer picks the verification key from the pool's JWKS by `kid`: none, or one the pool
            # never published, and there is no key to verify with.
            if header.get("kid") != KEY_ID:
                raise TokenRejected("unknown signing key")
            claims: dict[str, Any] = jwt.decode(
                token,
                self.private_key.public_key(),
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise TokenRejected(str(error)) from error
        return claims


def authorizer_claims(claims: dict[str, Any]) -> dict[str, str]:
    """Claims as API Gateway hands them to the function: every value a string, arrays as `[a b]`."""
    shaped: dict[str, str] = {}
    for name, value in claims.items():
        if isinstance(value, list):
            shaped[name] = "[" + " ".join(str(v) for v in value) + "]"
        else:
            shaped[name] = str(value)
    return shaped
