"""Use cases of the business, its branches and its people.

No half-made state after any failure, and every step safe to retry: the table is written first (one transaction
each), the directory (Cognito) second, and a retry of the same request finds what the first attempt stored and
finishes the directory's part. So no account ever names a business that has no record, and no business is ever
without an owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from loyalty.app.ports.staff import BusinessRecords, UserDirectory
from loyalty.app.staff.commands import (
    UNSET,
    AddBranch,
    BranchChanges,
    CreateBusiness,
    InvitePerson,
    PersonChanges,
)
from loyalty.domain.business import (
    AlreadyInBusiness,
    Branch,
    BranchNotFound,
    BranchStatus,
    Business,
    BusinessNotFound,
    LastOwner,
    Person,
    PersonExists,
    PersonNotFound,
    PersonStatus,
    StaffRole,
    business_id_for_owner,
    manager_branch,
)
from loyalty.domain.errors import Conflict
from loyalty.domain.ids import new_id

Clock = Callable[[], str]


# ------------------------------------------------------------------------------------------------ business


def create_business(
    records: BusinessRecords, directory: UserDirectory, clock: Clock, command: CreateBusiness
) -> Business:
    """The caller's business, with the caller as its owner. A retry after a failure between the two steps finds
    the business the first attempt stored (its id derives from the caller) and finishes the account's part."""
    if command.token_business_id:
        raise AlreadyInBusiness()
    user_id = command.user_id
    business_id = business_id_for_owner(user_id)
    now = clock()
    business = Business(
        business_id, command.name, command.name_ar, command.timezone, command.default_language, now, user_id
    )
    owner = Person(user_id, business_id, command.email, StaffRole.OWNER, None, PersonStatus.ACTIVE, now, now)
    if not records.create_business(business, owner):
        stored = records.business(business_id)
        if stored is None:
            raise AlreadyInBusiness()
        business = stored
    directory.place(user_id, business_id, StaffRole.OWNER.value, None)
    return business


def get_business(records: BusinessRecords, business_id: str) -> Business:
    business = records.business(business_id)
    if business is None:
        raise BusinessNotFound()
    return business


# ------------------------------------------------------------------------------------------------ branches


def list_branches(records: BusinessRecords, business_id: str) -> list[Branch]:
    """Every branch, active first."""
    return sorted(records.branches(business_id), key=lambda b: (b.status is BranchStatus.ARCHIVED, b.name))


def add_branch(records: BusinessRecords, business_id: str, command: AddBranch) -> Branch:
    branch = Branch(
        new_id("brn"),
        business_id,
        command.name,
        command.name_ar,
        command.address,
        command.latitude,
        command.longitude,
    )
    records.add_branch(branch)
    return branch


def edit_branch(records: BusinessRecords, business_id: str, branch_id: str, changes: BranchChanges) -> Branch:
    branch = next((b for b in records.branches(business_id) if b.branch_id == branch_id), None)
    if branch is None:
        raise BranchNotFound()
    edited = replace(
        branch,
        name=changes.name if changes.name is not None else branch.name,
        name_ar=branch.name_ar if changes.name_ar is UNSET else changes.name_ar,
        address=branch.address if changes.address is UNSET else changes.address,
        latitude=branch.latitude if changes.latitude is UNSET else changes.latitude,
        longitude=branch.longitude if changes.longitude is UNSET else changes.longitude,
        status=changes.status or branch.status,
    )
    if not records.save_branch(edited):
        raise BranchNotFound()
    return edited


# ------------------------------------------------------------------------------------------------ staff


def list_staff(records: BusinessRecords, directory: UserDirectory, business_id: str) -> list[Person]:
    """The business's people, owners first. An invitation is ACTIVE once its first sign-in set a password (the
    directory knows; the record learns it here)."""
    people = []
    for person in records.people(business_id):
        if person.status is PersonStatus.INVITED:
            account = directory.status(person.user_id)
            if account is not None and account.confirmed:
                active = replace(person, status=PersonStatus.ACTIVE)
                if records.save_person(person, active):
                    person = active
        people.append(person)
    people.sort(key=lambda p: (p.status is PersonStatus.REMOVED, p.role is not StaffRole.OWNER, p.invited_at))
    return people


def invite_person(
    records: BusinessRecords,
    directory: UserDirectory,
    clock: Clock,
    business_id: str,
    command: InvitePerson,
) -> Person:
    """A manager (at an active branch) or a co-owner, invited by email: the directory mails the invitation.
    The email is held in the table first, so a retry of a failed invitation finishes it, and the same invitation
    twice (or an email with an account anywhere) is 409 PERSON_EXISTS."""
    email, role = command.email, command.role
    branches = {b.branch_id: b for b in records.branches(business_id)}
    branch = manager_branch(role, command.branch_id, branches)
    if records.reserve_invitation(business_id, email) is not None:
        raise PersonExists()
    user_id = directory.invite(email, business_id, role.value, branch)
    if user_id is None:
        existing = directory.find(email)
        # The account a failed first attempt made for this business is this invitation's; any other is not.
        if existing is None or existing.business_id != business_id:
            raise PersonExists()
        user_id = existing.user_id
        directory.place(user_id, business_id, role.value, branch)
    person = Person(user_id, business_id, email, role, branch, PersonStatus.INVITED, clock())
    records.add_person(person, email)
    return person


def change_person(
    records: BusinessRecords,
    directory: UserDirectory,
    business_id: str,
    user_id: str,
    changes: PersonChanges,
) -> Person:
    """A new role or branch: the record first (keeping an owner), then the account, whose next token (within
    the ID token's lifetime) carries it."""
    person = records.person(business_id, user_id)
    if person is None or person.status is PersonStatus.REMOVED:
        raise PersonNotFound()
    role = changes.role or person.role
    wanted_branch = changes.branch_id
    if wanted_branch is None and role is StaffRole.MANAGER:
        wanted_branch = person.branch_id
    branches = {b.branch_id: b for b in records.branches(business_id)}
    branch = manager_branch(role, wanted_branch, branches)
    changed = replace(person, role=role, branch_id=branch)
    if changed != person and not records.save_person(person, changed):
        if person.role is StaffRole.OWNER and role is not StaffRole.OWNER:
            raise LastOwner()
        raise Conflict("This person changed meanwhile: read the staff list again.", code="PERSON_CHANGED")
    directory.place(user_id, business_id, role.value, branch)
    return changed


def remove_person(records: BusinessRecords, directory: UserDirectory, business_id: str, user_id: str) -> None:
    """Removed: the record (keeping the business's last owner, and the person's id for history, without their
    email), then the account signed out everywhere and deleted. Their ID token, checked by the authorizer alone,
    runs out within its lifetime (5 minutes). A retry finishes the account's part."""
    person = records.person(business_id, user_id)
    if person is None:
        raise PersonNotFound()
    if person.status is not PersonStatus.REMOVED and not records.remove_person(person, person.email):
        raise LastOwner()
    directory.remove(user_id)
