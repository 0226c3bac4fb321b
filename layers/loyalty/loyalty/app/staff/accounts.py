"""Use cases of the business, its branches and its people.

No half-made state after any failure, and every step safe to retry: the table is written first (one transaction
each), the directory (Cognito) second, and a retry of the same request finds what the first attempt stored and
finishes the directory's part. So no account ever names a business that has no record, and no business is ever
without an owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from loyalty.app.ports.staff import BusinessRecords, UserDirectory
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


# ------------------------------------------------------------------------------------------------ answers


def business_answer(business: Business, logo_url: str | None = None) -> dict[str, Any]:
    """The business as the contract shows it; `logo_url` is where its logo is served (the edge knows)."""
    brand = business.brand
    return {
        "businessId": business.business_id,
        "name": business.name,
        "nameAr": business.name_ar,
        "timezone": business.timezone,
        "defaultLanguage": business.default_language,
        "brand": {
            "logoImageId": brand.logo_image_id,
            "iconImageId": brand.icon_image_id,
            "stripImageId": brand.strip_image_id,
            "backgroundColor": brand.background_color,
            "foregroundColor": brand.foreground_color,
            "labelColor": brand.label_color,
            "logoUrl": logo_url,
        },
        "createdAt": business.created_at,
    }


def branch_answer(branch: Branch) -> dict[str, Any]:
    return {
        "branchId": branch.branch_id,
        "name": branch.name,
        "nameAr": branch.name_ar,
        "address": branch.address,
        "latitude": branch.latitude,
        "longitude": branch.longitude,
        "status": branch.status.value,
    }


def person_answer(person: Person) -> dict[str, Any]:
    return {
        "userId": person.user_id,
        "email": person.email,
        "role": person.role.value,
        "branchId": person.branch_id,
        "status": person.status.value,
        "invitedAt": person.invited_at,
        "lastSeenAt": person.last_seen_at,
    }


# ------------------------------------------------------------------------------------------------ business


def create_business(
    records: BusinessRecords,
    directory: UserDirectory,
    clock: Clock,
    *,
    user_id: str,
    email: str | None,
    token_business_id: str | None,
    name: str,
    name_ar: str | None,
    timezone: str,
    default_language: str,
) -> dict[str, Any]:
    """The caller's business, with the caller as its owner. A retry after a failure between the two steps finds
    the business the first attempt stored (its id derives from the caller) and finishes the account's part."""
    if token_business_id:
        raise AlreadyInBusiness()
    business_id = business_id_for_owner(user_id)
    now = clock()
    business = Business(business_id, name, name_ar, timezone, default_language, now, user_id)
    owner = Person(user_id, business_id, email, StaffRole.OWNER, None, PersonStatus.ACTIVE, now, now)
    if not records.create_business(business, owner):
        stored = records.business(business_id)
        if stored is None:
            raise AlreadyInBusiness()
        business = stored
    directory.place(user_id, business_id, StaffRole.OWNER.value, None)
    return business_answer(business)


def get_business(records: BusinessRecords, business_id: str) -> Business:
    business = records.business(business_id)
    if business is None:
        raise BusinessNotFound()
    return business


def edit_business(records: BusinessRecords, business_id: str, changes: dict[str, Any]) -> Business:
    """Names, timezone and default language; the brand has its own use case (app/brand/brand_images.py), which
    checks its images and colours and redraws the passes."""
    business = get_business(records, business_id)
    edited = replace(
        business,
        name=changes.get("name", business.name),
        name_ar=changes.get("nameAr", business.name_ar),
        timezone=changes.get("timezone", business.timezone),
        default_language=changes.get("defaultLanguage", business.default_language),
    )
    if edited != business:
        records.save_business(edited)
    return edited


# ------------------------------------------------------------------------------------------------ branches


def list_branches(records: BusinessRecords, business_id: str) -> dict[str, Any]:
    branches = sorted(
        records.branches(business_id), key=lambda b: (b.status is BranchStatus.ARCHIVED, b.name)
    )
    return {"items": [branch_answer(b) for b in branches], "nextCursor": None}


def add_branch(records: BusinessRecords, business_id: str, fields: dict[str, Any]) -> dict[str, Any]:
    branch = Branch(
        new_id("brn"),
        business_id,
        fields["name"],
        fields.get("nameAr"),
        fields.get("address"),
        fields.get("latitude"),
        fields.get("longitude"),
    )
    records.add_branch(branch)
    return branch_answer(branch)


def edit_branch(
    records: BusinessRecords, business_id: str, branch_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    branch = next((b for b in records.branches(business_id) if b.branch_id == branch_id), None)
    if branch is None:
        raise BranchNotFound()
    edited = replace(
        branch,
        name=changes.get("name", branch.name),
        **{
            attribute: changes[name]
            for name, attribute in (
                ("nameAr", "name_ar"),
                ("address", "address"),
                ("latitude", "latitude"),
                ("longitude", "longitude"),
            )
            if name in changes
        },
        status=BranchStatus(changes.get("status", branch.status.value)),
    )
    if not records.save_branch(edited):
        raise BranchNotFound()
    return branch_answer(edited)


# ------------------------------------------------------------------------------------------------ staff


def list_staff(records: BusinessRecords, directory: UserDirectory, business_id: str) -> dict[str, Any]:
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
    return {"items": [person_answer(p) for p in people], "nextCursor": None}


def invite_person(
    records: BusinessRecords,
    directory: UserDirectory,
    clock: Clock,
    business_id: str,
    *,
    email: str,
    role: StaffRole,
    branch_id: str | None,
) -> dict[str, Any]:
    """A manager (at an active branch) or a co-owner, invited by email: the directory mails the invitation.
    The email is held in the table first, so a retry of a failed invitation finishes it, and the same invitation
    twice (or an email with an account anywhere) is 409 PERSON_EXISTS."""
    branches = {b.branch_id: b for b in records.branches(business_id)}
    branch = manager_branch(role, branch_id, branches)
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
    return person_answer(person)


def change_person(
    records: BusinessRecords,
    directory: UserDirectory,
    business_id: str,
    user_id: str,
    changes: dict[str, Any],
) -> dict[str, Any]:
    """A new role or branch: the record first (keeping an owner), then the account, whose next token (within
    the ID token's lifetime) carries it."""
    person = records.person(business_id, user_id)
    if person is None or person.status is PersonStatus.REMOVED:
        raise PersonNotFound()
    role = StaffRole(changes.get("role", person.role.value))
    wanted_branch = changes.get("branchId", person.branch_id if role is StaffRole.MANAGER else None)
    branches = {b.branch_id: b for b in records.branches(business_id)}
    branch = manager_branch(role, wanted_branch, branches)
    changed = replace(person, role=role, branch_id=branch)
    if changed != person and not records.save_person(person, changed):
        if person.role is StaffRole.OWNER and role is not StaffRole.OWNER:
            raise LastOwner()
        raise Conflict("This person changed meanwhile: read the staff list again.", code="PERSON_CHANGED")
    directory.place(user_id, business_id, role.value, branch)
    return person_answer(changed)


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
