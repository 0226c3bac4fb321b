"""Ports of the business, branches and staff context: where businesses, branches and people are kept (the table),
and the user directory (Cognito) that holds people's accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from loyalty.domain.business import Branch, Business, Person


class BusinessRecords(Protocol):
    def create_business(self, business: Business, owner: Person) -> bool:
        """The business, its owner's person record and the owner's one-business marker, in one transaction.
        False (nothing written) when that user already created a business."""

    def business(self, business_id: str) -> Business | None: ...

    def save_business(self, business: Business) -> None: ...

    def branches(self, business_id: str) -> list[Branch]: ...

    def add_branch(self, branch: Branch) -> None: ...

    def save_branch(self, branch: Branch) -> bool:
        """False when the branch does not exist (nothing written)."""

    def people(self, business_id: str) -> list[Person]: ...

    def person(self, business_id: str, user_id: str) -> Person | None: ...

    def reserve_invitation(self, business_id: str, email: str) -> str | None:
        """Holds `email` for an invitation into this business: None when newly held or held by an invitation
        that did not finish (a retry); the invited user's id when an invitation of that email finished."""

    def add_person(self, person: Person, email: str) -> None:
        """The invited person's record, and their email's hold marked finished (owners counted), at once."""

    def save_person(self, before: Person, after: Person) -> bool:
        """`after` replaces `before` if the record is still `before` (role changes keep at least one owner):
        False when it moved meanwhile or would leave no owner."""

    def remove_person(self, person: Person, email: str | None) -> bool:
        """The person REMOVED (without email) and their email released, if they are not the last owner: False
        when they are (nothing written)."""


class BranchNames(Protocol):
    """The business's branches by id, each with its name (a campaign's branch audience is checked against them)."""

    def branch_names(self, business_id: str) -> dict[str, str]: ...


@dataclass(frozen=True)
class DirectoryUser:
    user_id: str
    business_id: str | None
    confirmed: bool


class UserDirectory(Protocol):
    def invite(self, email: str, business_id: str, role: str, branch_id: str | None) -> str | None:
        """A new account for `email` in this business (the directory mails the invitation): its user id, or None
        when the email already has an account."""

    def find(self, email: str) -> DirectoryUser | None: ...

    def status(self, user_id: str) -> DirectoryUser | None: ...

    def place(self, user_id: str, business_id: str, role: str, branch_id: str | None) -> None:
        """The account names this business, role and branch (from its next token on)."""

    def remove(self, user_id: str) -> None:
        """Signed out everywhere and the account gone; a no-op when it already is."""
