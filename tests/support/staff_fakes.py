"""In-memory ports of the business, branches and staff context (`loyalty.app.ports.staff`), keeping the promises
the table and Cognito keep: one transaction each (all or nothing), the owners count that never reaches zero, an
email held once per business, one account per email in the directory. A directory step can be made to fail once,
as a network would, to prove a retry finishes the job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from loyalty.app.ports.staff import DirectoryUser
from loyalty.domain.business import Branch, Business, Person, PersonStatus, StaffRole
from loyalty.domain.customers import canonical_email


class DirectoryDown(Exception):
    """The directory could not be reached."""


@dataclass
class InMemoryBusinessRecords:
    businesses: dict[str, Business] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)
    markers: dict[str, str] = field(default_factory=dict)
    branch_items: dict[tuple[str, str], Branch] = field(default_factory=dict)
    person_items: dict[tuple[str, str], Person] = field(default_factory=dict)
    invitations: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def create_business(self, business: Business, owner: Person) -> bool:
        if business.business_id in self.businesses or owner.user_id in self.markers:
            return False
        self.businesses[business.business_id] = business
        self.owners[business.business_id] = 1
        self.markers[owner.user_id] = business.business_id
        self.person_items[(business.business_id, owner.user_id)] = owner
        return True

    def business(self, business_id: str) -> Business | None:
        return self.businesses.get(business_id)

    def save_business(self, business: Business) -> None:
        self.businesses[business.business_id] = business

    def branches(self, business_id: str) -> list[Branch]:
        return [b for (biz, _), b in self.branch_items.items() if biz == business_id]

    def add_branch(self, branch: Branch) -> None:
        self.branch_items[(branch.business_id, branch.branch_id)] = branch

    def save_branch(self, branch: Branch) -> bool:
        if (branch.business_id, branch.branch_id) not in self.branch_items:
            return False
        self.branch_items[(branch.business_id, branch.branch_id)] = branch
        return True

    def people(self, business_id: str) -> list[Person]:
        return [p for (biz, _), p in self.person_items.items() if biz == business_id]

    def person(self, business_id: str, user_id: str) -> Person | None:
        return self.person_items.get((business_id, user_id))

    def reserve_invitation(self, business_id: str, email: str) -> str | None:
        key = (business_id, canonical_email(email))
        held = self.invitations.get(key)
        if held:
            return held
        self.invitations[key] = None
        return None

    def add_person(self, person: Person, email: str) -> None:
        self.person_items[(person.business_id, person.user_id)] = person
        self.invitations[(person.business_id, canonical_email(email))] = person.user_id
        if person.role is StaffRole.OWNER:
            self.owners[person.business_id] += 1

    def save_person(self, before: Person, after: Person) -> bool:
        key = (after.business_id, after.user_id)
        kept = self.person_items.get(key)
        if kept is None or (kept.role, kept.status) != (before.role, before.status):
            return False
        delta = 0
        if before.role is not after.role:
            delta = 1 if after.role is StaffRole.OWNER else -1
        if self.owners[after.business_id] + delta < 1:
            return False
        self.owners[after.business_id] += delta
        self.person_items[key] = after
        return True

    def remove_person(self, person: Person, email: str | None) -> bool:
        key = (person.business_id, person.user_id)
        kept = self.person_items.get(key)
        if kept is None or kept.status is PersonStatus.REMOVED:
            return False
        if person.role is StaffRole.OWNER:
            if self.owners[person.business_id] <= 1:
                return False
            self.owners[person.business_id] -= 1
        self.person_items[key] = person.removed()
        if email:
            self.invitations.pop((person.business_id, canonical_email(email)), None)
        return True


@dataclass
class _Account:
    user_id: str
    email: str
    business_id: str | None
    role: str | None
    branch_id: str | None
    confirmed: bool
    signed_in: bool = True


@dataclass
class InMemoryDirectory:
    accounts: dict[str, _Account] = field(default_factory=dict)
    invitations_mailed: list[str] = field(default_factory=list)
    fail_next: set[str] = field(default_factory=set)  # the names of steps that fail once

    def _maybe_fail(self, step: str) -> None:
        if step in self.fail_next:
            self.fail_next.discard(step)
            raise DirectoryDown(step)

    def sign_up(self, email: str) -> str:
        user_id = str(uuid.uuid4())
        self.accounts[user_id] = _Account(user_id, canonical_email(email), None, None, None, True)
        return user_id

    def _by_email(self, email: str) -> _Account | None:
        return next((a for a in self.accounts.values() if a.email == canonical_email(email)), None)

    def invite(self, email: str, business_id: str, role: str, branch_id: str | None) -> str | None:
        if self._by_email(email) is not None:
            return None
        user_id = str(uuid.uuid4())
        self.accounts[user_id] = _Account(
            user_id, canonical_email(email), business_id, role, branch_id, False
        )
        self.invitations_mailed.append(email)
        self._maybe_fail("invite-after-create")
        return user_id

    def find(self, email: str) -> DirectoryUser | None:
        account = self._by_email(email)
        return (
            None
            if account is None
            else DirectoryUser(account.user_id, account.business_id, account.confirmed)
        )

    def status(self, user_id: str) -> DirectoryUser | None:
        account = self.accounts.get(user_id)
        return (
            None
            if account is None
            else DirectoryUser(account.user_id, account.business_id, account.confirmed)
        )

    def place(self, user_id: str, business_id: str, role: str, branch_id: str | None) -> None:
        self._maybe_fail("place")
        account = self.accounts[user_id]
        self.accounts[user_id] = replace(account, business_id=business_id, role=role, branch_id=branch_id)

    def remove(self, user_id: str) -> None:
        self._maybe_fail("remove")
        self.accounts.pop(user_id, None)
