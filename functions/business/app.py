"""The business, its branches and its people: create the caller's business, read and edit it, its branches, and
its staff (invite, list, move, remove). docs/API.md, "The business, its branches and its people"."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from loyalty.app.brand.business_edit import edit_business as edit_business_and_brand
from loyalty.app.brand.public_offer import LOGO_RENDITION
from loyalty.app.staff import accounts as staff
from loyalty.bootstrap import (
    brand_image_url,
    brand_images,
    business_profiles,
    business_table,
    draw_renditions,
    user_directory,
)
from loyalty.domain.business import Business
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal, signed_in
from loyalty.entrypoints.http.render import (
    branch_answer,
    branches_answer,
    business_answer,
    person_answer,
    staff_answer,
)
from loyalty.entrypoints.http.staff_contract import (
    BranchAnswer,
    BranchEdit,
    BranchId,
    BranchPage,
    BusinessAnswer,
    BusinessEdit,
    Invitation,
    NewBranch,
    NewBusiness,
    PersonAnswer,
    PersonEdit,
    StaffPage,
    UserId,
)
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
NO_BRANCH = (404, failure(404, "No such branch in this business (BRANCH_NOT_FOUND)"))
NO_PERSON = (404, failure(404, "No such person in this business (PERSON_NOT_FOUND)"))
LAST_OWNER = (409, failure(409, "That would leave the business without an owner (LAST_OWNER)"))


def owner_edit(
    success: dict[int, OpenAPIResponse], *own: tuple[int, OpenAPIResponse]
) -> dict[int, OpenAPIResponse]:
    """An owner's edit: its success, a bad or too large body, no token, not the owner, and what the route says
    more about (`own` replaces a shared status)."""
    return responses(success, 400, 401, 403, 413, 422, *own)


def _answer(business: Business) -> dict[str, Any]:
    logo = business.brand.logo_image_id
    return business_answer(business, brand_image_url(logo, LOGO_RENDITION) if logo else None)


def _now() -> str:
    return utc_now().strftime("%Y-%m-%dT%H:%M:%SZ")


@app.post(
    "/api/businesses",
    summary="Create the caller's business; the caller becomes its owner (signed in, no business yet)",
    operation_id="createBusiness",
    tags=["Business"],
    responses=responses(
        {201: ok(BusinessAnswer, "The business; refresh the tokens to see it in them")},
        400,
        401,
        413,
        (409, failure(409, "The caller already belongs to a business (ALREADY_IN_BUSINESS)")),
        422,
    ),
)
def create_business(body: NewBusiness) -> Response[Any]:
    caller = signed_in(app)
    command = body.command(caller.sub, caller.email, caller.business_id)
    created = staff.create_business(business_table(), user_directory(), _now, command)
    return json_response(201, business_answer(created))


@app.get(
    "/api/business",
    summary="The caller's business (owner, manager)",
    operation_id="getBusiness",
    tags=["Business"],
    responses=responses({200: ok(BusinessAnswer, "The business")}, 401, 403, 404),
)
def get_business() -> dict[str, Any]:
    caller = current_principal(app).require(Role.MANAGER)
    return _answer(staff.get_business(business_table(), caller.business_id))


@app.patch(
    "/api/business",
    summary="Edit the business: names, timezone, default language, brand (owner); a brand change redraws its passes",
    operation_id="editBusiness",
    tags=["Business"],
    responses=owner_edit(
        {200: ok(BusinessAnswer, "The business as edited")},
        (404, failure(404)),
        (
            422,
            failure(
                422,
                "A field is not valid (VALIDATION_ERROR), a brand image unusable or not this business's "
                "(IMAGE_INVALID), or a text colour fails 4.5:1 against the background (LOW_CONTRAST)",
            ),
        ),
    ),
)
def edit_business(body: BusinessEdit) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    edited = edit_business_and_brand(
        business_table(),
        business_profiles(),
        brand_images(),
        draw_renditions(),
        owner.business_id,
        body.changes(),
        at=to_iso(utc_now()),
    )
    return _answer(edited)


@app.get(
    "/api/branches",
    summary="The business's branches (owner, manager)",
    operation_id="listBranches",
    tags=["Branches"],
    responses=responses({200: ok(BranchPage, "Every branch, active first")}, 401, 403),
)
def list_branches() -> dict[str, Any]:
    caller = current_principal(app).require(Role.MANAGER)
    return branches_answer(staff.list_branches(business_table(), caller.business_id))


@app.post(
    "/api/branches",
    summary="Add a branch (owner)",
    operation_id="addBranch",
    tags=["Branches"],
    responses=owner_edit({201: ok(BranchAnswer, "The new branch")}),
)
def add_branch(body: NewBranch) -> Response[Any]:
    owner = current_principal(app).require(Role.OWNER)
    branch = staff.add_branch(business_table(), owner.business_id, body.command())
    return json_response(201, branch_answer(branch))


@app.patch(
    "/api/branches/<branchId>",
    summary="Rename, move or archive a branch (owner)",
    operation_id="editBranch",
    tags=["Branches"],
    responses=owner_edit({200: ok(BranchAnswer, "The branch as edited")}, NO_BRANCH),
)
def edit_branch(branchId: BranchId, body: BranchEdit) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    return branch_answer(staff.edit_branch(business_table(), owner.business_id, branchId, body.changes()))


@app.get(
    "/api/staff",
    summary="The business's people and their status (owner)",
    operation_id="listStaff",
    tags=["Staff"],
    responses=responses({200: ok(StaffPage, "Every person, owners first")}, 401, 403),
)
def list_staff() -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    return staff_answer(staff.list_staff(business_table(), user_directory(), owner.business_id))


@app.post(
    "/api/staff",
    summary="Invite a manager (to a branch) or a co-owner; Cognito mails the invitation (owner)",
    operation_id="invitePerson",
    tags=["Staff"],
    responses=owner_edit(
        {201: ok(PersonAnswer, "The invited person")},
        NO_BRANCH,
        (409, failure(409, "The email already has an account (PERSON_EXISTS)")),
    ),
)
def invite(body: Invitation) -> Response[Any]:
    owner = current_principal(app).require(Role.OWNER)
    person = staff.invite_person(business_table(), user_directory(), _now, owner.business_id, body.command())
    return json_response(201, person_answer(person))


@app.patch(
    "/api/staff/<userId>",
    summary="Change a person's role or branch (owner)",
    operation_id="changePerson",
    tags=["Staff"],
    responses=owner_edit({200: ok(PersonAnswer, "The person as changed")}, NO_PERSON, LAST_OWNER),
)
def change(userId: UserId, body: PersonEdit) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    changed = staff.change_person(
        business_table(), user_directory(), owner.business_id, userId, body.changes()
    )
    return person_answer(changed)


@app.delete(
    "/api/staff/<userId>",
    summary="Remove a person: signed out everywhere, refused within 5 minutes (owner)",
    operation_id="removePerson",
    tags=["Staff"],
    responses=responses(
        {204: ok(None, "Removed")},
        401,
        403,
        NO_PERSON,
        (409, failure(409, "The business's last owner stays (LAST_OWNER)")),
    ),
)
def remove(userId: UserId) -> Response[None]:
    owner = current_principal(app).require(Role.OWNER)
    staff.remove_person(business_table(), user_directory(), owner.business_id, userId)
    return Response(status_code=204, body=None)


handler = lambda_entry(app)
