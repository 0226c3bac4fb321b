"""The local user pool as the HTTP API's JWT authorizer sees it: moto's Cognito pool (loyalty_local.cloud.cognito),
its issuer and app client, and its keys read from its JWKS URL, with the authorizer's checks (kid of a published
key, signature, alg allow-list, iss, aud, exp).

`issue` mints an ID token signed with the key moto's pool signs with (moto publishes it), for tests and scripts
(`loyalty-local token`): the gateway checks it exactly as it checks a token from a Cognito sign-in. People sign
in through Cognito's API."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm
from moto.utilities.utils import load_resource

from loyalty_local.cloud.template import REPO_ROOT

# Where a running stack writes its pool's identity (issuer, app client, JWKS URL) for `loyalty-local token`.
DEFAULT_POOL_FILE = REPO_ROOT / ".local/auth/user-pool.json"


def pool_file(data_dir: Path) -> Path:
    """Where the stack keeping its data in `data_dir` writes its pool's identity."""
    return data_dir / "auth" / "user-pool.json"


ALLOWED_ALGORITHMS = ["RS256"]
# The `kid` of the key moto's pools sign with (its published jwks-public.json).
KEY_ID = "dummy"
# The demo business `make run` seeds, and its branch.
DEMO_BUSINESS = "biz_democoffee01"
DEMO_BRANCH = "brn_demodowntown"


class TokenRejected(Exception):
    """The token would not pass the JWT authorizer."""


def signing_key() -> Any:
    """The private key moto's Cognito pools sign their tokens with."""
    return RSAAlgorithm.from_jwk(json.dumps(load_resource("cognitoidp/resources/jwks-private.json")))


_SIGNING_KEY = signing_key()


@dataclass
class LocalUserPool:
    issuer: str
    audience: str
    jwks_url: str
    _keys: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def private_key(self) -> Any:
        return _SIGNING_KEY

    @property
    def pool_id(self) -> str:
        return self.issuer.rsplit("/", 1)[-1]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        identity = {"issuer": self.issuer, "audience": self.audience, "jwksUrl": self.jwks_url}
        path.write_text(json.dumps(identity), encoding="utf-8")

    @classmethod
    def load(cls, path: Path = DEFAULT_POOL_FILE) -> LocalUserPool:
        try:
            identity = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise SystemExit(f"{path}: no local user pool yet; start the stack first (make run)") from error
        return cls(identity["issuer"], identity["audience"], identity["jwksUrl"])

    def issue(
        self,
        role: str,
        business_id: str | None,
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
        }
        if business_id:
            claims["custom:businessId"] = business_id
        if branch_id:
            claims["custom:branchId"] = branch_id
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": KEY_ID})

    def _key(self, kid: str) -> Any:
        # The authorizer reads the pool's JWKS and picks the key by `kid`; a kid it does not know makes it read
        # the JWKS again (a rotated key), and then refuse.
        with self._lock:
            if kid not in self._keys:
                with urllib.request.urlopen(self.jwks_url, timeout=10) as answer:
                    published = json.loads(answer.read())
                self._keys = {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in published["keys"]}
            if kid not in self._keys:
                raise TokenRejected("unknown signing key")
            return self._keys[kid]

    def verify(self, token: str) -> dict[str, Any]:
        """The claims of a token the HTTP API JWT authorizer would accept; TokenRejected otherwise."""
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise TokenRejected("algorithm not allowed")
            key = self._key(str(header.get("kid")))
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise TokenRejected(str(error)) from error
        # The HTTP API takes an ID token by `aud` and an access token by `client_id`; the apps send ID tokens,
        # whose claims carry the business.
        if claims.get("token_use") != "id":
            raise TokenRejected("not an ID token")
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
