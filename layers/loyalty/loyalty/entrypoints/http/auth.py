"""Who is calling: the principal from the JWT authorizer's claims (Cognito ID token), and role checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty.domain.errors import Forbidden, NotFound, Unauthorized


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"


@dataclass(frozen=True)
class Principal:
    sub: str
    business_id: str
    roles: frozenset[Role]
    branch_id: str | None = None

    def require(self, *allowed: Role) -> Principal:
        """An owner may do everything a manager may; anything else not in `allowed` is 403."""
        effective = set(self.roles)
        if Role.OWNER in effective:
            effective.add(Role.MANAGER)
        if not effective.intersection(allowed):
            raise Forbidden("Your role does not allow this.")
        return self

    def ensure_owns(self, business_id: str, what: NotFound) -> None:
        """Another business's resource answers as if it did not exist: the caller learns nothing."""
        if business_id != self.business_id:
            raise what


def parse_groups(raw: Any) -> list[str]:
    """`cognito:groups` arrives as a list, or (through the HTTP API JWT authorizer) as the string `[a b]`."""
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(g) for g in raw]
    text = str(raw).strip().strip("[]")
    return [g for g in text.replace(",", " ").split() if g]


def principal_from_claims(claims: dict[str, Any] | None) -> Principal:
    if not claims or not claims.get("sub"):
        raise Unauthorized()
    roles = frozenset(
        Role(g) for g in parse_groups(claims.get("cognito:groups")) if g in Role.__members__.values()
    )
    business_id = str(claims.get("custom:businessId") or "")
    if not roles or not business_id:
        raise Forbidden("The token names no role or business.")
    branch = claims.get("custom:branchId")
    return Principal(
        sub=str(claims["sub"]),
        business_id=business_id,
        roles=roles,
        branch_id=str(branch) if branch else None,
    )


def current_principal(app: APIGatewayHttpResolver) -> Principal:
    authorizer = app.current_event.request_context.authorizer
    claims = authorizer.jwt_claim if authorizer else None
    return principal_from_claims(claims)
