"""Who is calling: the principal from the JWT authorizer's claims (Cognito ID token), and role checks."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty.domain.business import NoBusiness, UnknownBranchInToken
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
    if not business_id:
        # Signed in, with no business yet: only `POST /api/businesses` is open to them.
        raise NoBusiness()
    if not roles:
        raise Forbidden("The token names no role.")
    branch = claims.get("custom:branchId")
    return Principal(
        sub=str(claims["sub"]),
        business_id=business_id,
        roles=roles,
        branch_id=str(branch) if branch else None,
    )


@dataclass(frozen=True)
class SignedIn:
    """Whoever holds a valid token, with or without a business (the one caller `POST /api/businesses` takes)."""

    sub: str
    email: str | None
    business_id: str | None


def _claims(app: APIGatewayHttpResolver) -> dict[str, Any] | None:
    authorizer = app.current_event.request_context.authorizer
    return authorizer.jwt_claim if authorizer else None


def signed_in(app: APIGatewayHttpResolver) -> SignedIn:
    claims = _claims(app)
    if not claims or not claims.get("sub"):
        raise Unauthorized()
    return SignedIn(
        sub=str(claims["sub"]),
        email=str(claims["email"]) if claims.get("email") else None,
        business_id=str(claims.get("custom:businessId") or "") or None,
    )


def current_principal(app: APIGatewayHttpResolver) -> Principal:
    """The caller; a manager's token must name an active branch of their business (403 otherwise), checked
    against the container's kept branches, so a scan still reads nothing before its write."""
    principal = principal_from_claims(_claims(app))
    if Role.OWNER not in principal.roles:
        from loyalty.bootstrap import active_branches

        if not principal.branch_id or not active_branches().has(principal.business_id, principal.branch_id):
            raise UnknownBranchInToken()
    return principal
