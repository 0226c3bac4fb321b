"""The partner JWT AIR Kit authenticates us with: RS256, our `kid`, `typ: JWT`, partner id, scope, the
recipient's email, and a short life (AIR Kit accepts at most 15 minutes; we never sign for more than 5)."""

from __future__ import annotations

from datetime import datetime

import jwt

from loyalty.adapters.airkit.partner_keys import ALGORITHM, PartnerKey
from loyalty.settings import MAX_JWT_TTL_SECONDS


def sign_partner_jwt(
    key: PartnerKey,
    *,
    partner_id: str,
    scope: str,
    email: str | None,
    now: datetime,
    ttl_seconds: int = MAX_JWT_TTL_SECONDS,
) -> str:
    issued_at = int(now.timestamp())
    claims: dict[str, object] = {
        "partnerId": partner_id,
        "scope": scope,
        "iat": issued_at,
        "exp": issued_at + min(ttl_seconds, MAX_JWT_TTL_SECONDS),
    }
    if email is not None:
        claims["email"] = email
    return jwt.encode(claims, key.private_key, algorithm=ALGORITHM, headers={"kid": key.kid, "typ": "JWT"})
