"""The business, its branches and its people (staff): the values and the rules that do not depend on where they
are kept. A business has at least one owner at all times; a manager works at one active branch of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from enum import StrEnum

from loyalty.domain.brand import DEFAULT_BRAND, Brand
from loyalty.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed


class StaffRole(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"


class PersonStatus(StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    REMOVED = "REMOVED"


class BranchStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"


@dataclass(frozen=True)
class Business:
    business_id: str
    name: str
    name_ar: str | None
    timezone: str
    default_language: str
    created_at: str
    owner_id: str  # who created it (history names people by id, never by email)
    # Its look on passes, join pages and posters (domain/brand.py); edited through the brand's own rules.
    brand: Brand = DEFAULT_BRAND


@dataclass(frozen=True)
class Branch:
    branch_id: str
    business_id: str
    name: str
    name_ar: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    status: BranchStatus = BranchStatus.ACTIVE

    @property
    def active(self) -> bool:
        return self.status is BranchStatus.ACTIVE


@dataclass(frozen=True)
class Person:
    """Someone who works for a business. After removal the record stays (history names them by `user_id`) but
    their email does not."""

    user_id: str
    business_id: str
    email: str | None
    role: StaffRole
    branch_id: str | None
    status: PersonStatus
    invited_at: str
    last_seen_at: str | None = None

    def removed(self) -> Person:
        return replace(self, status=PersonStatus.REMOVED, email=None)


def business_id_for_owner(user_id: str) -> str:
    """The id of the business a user creates: derived from the user, so a retried creation (its first attempt
    stored the business, then failed before the user's account named it) finds the same business instead of
    making a second one."""
    return "biz_" + hashlib.sha256(f"business-of:{user_id}".encode()).hexdigest()[:26]


# ------------------------------------------------------------------------------------------------ refusals


class NoBusiness(Forbidden):
    def __init__(self) -> None:
        super().__init__("Your account has no business yet: create one first.", code="NO_BUSINESS")


class AlreadyInBusiness(Conflict):
    def __init__(self) -> None:
        super().__init__("Your account already belongs to a business.", code="ALREADY_IN_BUSINESS")


class BusinessNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such business.", code="BUSINESS_NOT_FOUND")


class BranchNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such branch in this business.", code="BRANCH_NOT_FOUND")


class UnknownBranchInToken(Forbidden):
    """A manager's token names a branch the business does not have (or no longer has): 403, as the contract says
    of a token naming another business's branch."""

    def __init__(self) -> None:
        super().__init__(
            "Your branch is not one of this business's active branches.", code="BRANCH_NOT_FOUND"
        )


class PersonExists(Conflict):
    def __init__(self) -> None:
        super().__init__("Someone with this email already has an account.", code="PERSON_EXISTS")


class PersonNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No such person in this business.", code="PERSON_NOT_FOUND")


class LastOwner(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "A business keeps at least one owner: invite another owner first.", code="LAST_OWNER"
        )


def manager_branch(role: StaffRole, branch_id: str | None, branches: dict[str, Branch]) -> str | None:
    """The branch a person of `role` is placed at: a manager needs an active branch of the business (422 when
    missing, 404 when not the business's or archived); an owner works at none."""
    if role is StaffRole.OWNER:
        return None
    if not branch_id:
        raise ValidationFailed([FieldError("branchId", "A manager works at a branch: name one.")])
    branch = branches.get(branch_id)
    if branch is None or not branch.active:
        raise BranchNotFound()
    return branch_id
