"""The pass actions' commands: what the scanner asks, in the domain's words, typed once at the edge."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """The manager (or owner) at the counter."""

    sub: str
    business_id: str
    branch_id: str | None
    is_owner: bool = False


@dataclass(frozen=True)
class Enroll:
    """A customer joins an offer (the form's email and name already checked by the domain's rules)."""

    offer_id: str
    email: str
    name: str
    preferred_language: str = "en"
    idempotency_key: str | None = None
    # Offers and news on the pass (campaigns): unticked unless the customer ticks it; its time is kept.
    marketing_consent: bool = False


@dataclass(frozen=True)
class ReadPass:
    actor: Actor
    customer_id: str
    offer_id: str


@dataclass(frozen=True)
class Scan:
    """One visit, one stamp."""

    actor: Actor
    customer_id: str
    offer_id: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ConfirmPrize:
    """The prize was handed over."""

    actor: Actor
    customer_id: str
    offer_id: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class VoidStamp:
    """Take back the cycle's last stamp, saying why (at most 200 characters, checked at the edge)."""

    actor: Actor
    customer_id: str
    offer_id: str
    reason: str | None = None
    idempotency_key: str | None = None


@dataclass(frozen=True)
class Reactivate:
    """Bring an expired pass back at the counter."""

    actor: Actor
    customer_id: str
    offer_id: str
    idempotency_key: str | None = None
