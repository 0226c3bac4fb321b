"""Ports of the customers: members, customer records, recovery links and mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from loyalty.domain.credentials import Issuance
from loyalty.domain.member_filters import RewardsRange
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.recovery import Mail, RecoveryLink

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


@dataclass
class MembersRead:
    offer: Offer | None
    passes: list[Pass]
    next_cursor: str | None


class Members(Protocol):
    """An offer's members, most recently enrolled first (the offer read with them)."""

    def page(
        self, offer_id: str, *, status: PassStatus | None, limit: int, cursor: str | None
    ) -> MembersRead: ...

    def filtered_page(
        self,
        offer_id: str,
        *,
        status: PassStatus | None,
        rewards: Callable[[Offer], tuple[RewardsRange, ...]] | None,
        limit: int,
        cursor: str | None,
    ) -> MembersRead:
        """Up to `limit` members that pass the filters (a status; rewards claimed in one of the ranges the offer's
        ladder gives), whatever how many the index passes over to find them."""
        ...

    def one(self, offer_id: str, business_id: str, q: str) -> MembersRead: ...


@dataclass(frozen=True)
class IssuancesRead:
    issuances: list[Issuance]
    next_cursor: str | None


class CustomerRecords(Protocol):
    """A customer of a business across its offers, and what their erasure rewrites."""

    def passes(self, business_id: str, customer_id: str) -> list[Pass]: ...

    def enroll_keys(self, pass_: Pass) -> list[str]: ...

    def forget_enroll_answers(self, pass_: Pass, idempotency_keys: list[str]) -> None: ...

    def forget_customer_record(self, business_id: str, email: str, customer_id: str) -> None: ...

    def anonymise_issuances(self, pass_: Pass) -> None: ...

    def issuances(self, customer_id: str, *, limit: int, cursor: str | None) -> IssuancesRead: ...


class RecoveryLinks(Protocol):
    """Mailed pass-recovery links, kept by their token's digest only."""

    def create(self, link: RecoveryLink) -> None: ...

    def find(self, token_digest: str) -> RecoveryLink | None: ...


class AddressRefused(Exception):
    """The mail service refuses the recipient's address itself (one it cannot deliver to): retrying cannot help."""


class Mailer(Protocol):
    def send(self, mail: Mail) -> None:
        """Sends the mail; raises AddressRefused when the address itself is refused."""
        ...
