"""The typed contract of the business, its branches and its people (docs/API.md, "The business, its branches
and its people"): request bodies validated here, answers declared for the OpenAPI document."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any, ClassVar, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic.json_schema import SkipJsonSchema

from loyalty.app.staff.commands import (
    UNSET,
    AddBranch,
    BranchChanges,
    BusinessChanges,
    CreateBusiness,
    InvitePerson,
    PersonChanges,
)
from loyalty.domain.business import BranchNotFound, BranchStatus, PersonNotFound, StaffRole
from loyalty.domain.customers import InvalidEmail, email_pattern, parse_email
from loyalty.domain.errors import NotFound
from loyalty.domain.offers import is_timezone
from loyalty.entrypoints.http.blocks import BrandAnswer
from loyalty.entrypoints.http.brand_contract import BrandDraft
from loyalty.entrypoints.http.wire import ContractModel, document_pattern, document_zones


def _timezone(value: str) -> str:
    if not is_timezone(value):
        raise ValueError("is not an IANA time zone name (e.g. Asia/Riyadh)")
    return value


def _email(value: str) -> str:
    try:
        return parse_email(value)
    except InvalidEmail as error:
        raise ValueError(str(error)) from error


Email = Annotated[
    str,
    Field(min_length=6, max_length=254, json_schema_extra=document_pattern(email_pattern)),
    AfterValidator(_email),
]
# The document lists the zones this runtime knows, so a client can tell a name we refuse before sending it.
Timezone = Annotated[
    str,
    Field(min_length=1, max_length=64, json_schema_extra=document_zones),
    AfterValidator(_timezone),
]
Language = Literal["en", "ar"]
Name = Annotated[str, Field(min_length=1, max_length=60)]


class NoNullsModel(ContractModel):
    """An edit: a field left out keeps its value; a field that cannot be empty may not be sent as null."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _no_nulls(self) -> Any:
        for name in self.model_fields_set:
            if getattr(self, name) is None and name not in self.nullable:
                raise ValueError(f"{to_camel(name)} may not be null")
        return self


class NewBusiness(ContractModel):
    name: Name
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    timezone: Timezone = "UTC"
    default_language: Language = "en"

    def command(self, user_id: str, email: str | None, token_business_id: str | None) -> CreateBusiness:
        return CreateBusiness(
            user_id, email, token_business_id, self.name, self.name_ar, self.timezone, self.default_language
        )


class BusinessEdit(NoNullsModel):
    nullable: ClassVar[frozenset[str]] = frozenset({"name_ar"})

    name: Name | SkipJsonSchema[None] = None
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    timezone: Timezone | SkipJsonSchema[None] = None
    default_language: Language | SkipJsonSchema[None] = None
    brand: BrandDraft | SkipJsonSchema[None] = None

    def changes(self) -> BusinessChanges:
        return BusinessChanges(
            name=self.name,
            name_ar=self.name_ar if "name_ar" in self.model_fields_set else UNSET,
            timezone=self.timezone,
            default_language=self.default_language,
            brand=self.brand.model_dump(exclude_unset=True) if self.brand is not None else None,
        )


class BusinessAnswer(ContractModel):
    business_id: str
    name: str
    name_ar: str | None
    timezone: str
    default_language: Language
    brand: BrandAnswer
    created_at: str


class NewBranch(ContractModel):
    name: Name
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None

    def command(self) -> AddBranch:
        return AddBranch(self.name, self.name_ar, self.address, self.latitude, self.longitude)


class BranchEdit(NoNullsModel):
    nullable: ClassVar[frozenset[str]] = frozenset({"name_ar", "address", "latitude", "longitude"})

    name: Name | SkipJsonSchema[None] = None
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    status: Literal["ACTIVE", "ARCHIVED"] | SkipJsonSchema[None] = None

    def changes(self) -> BranchChanges:
        sent = self.model_fields_set
        return BranchChanges(
            name=self.name,
            name_ar=self.name_ar if "name_ar" in sent else UNSET,
            address=self.address if "address" in sent else UNSET,
            latitude=self.latitude if "latitude" in sent else UNSET,
            longitude=self.longitude if "longitude" in sent else UNSET,
            status=BranchStatus(self.status) if self.status is not None else None,
        )


class BranchAnswer(ContractModel):
    branch_id: str
    name: str
    name_ar: str | None
    address: str | None
    latitude: float | None
    longitude: float | None
    status: Literal["ACTIVE", "ARCHIVED"]


class BranchPage(ContractModel):
    items: list[BranchAnswer]
    next_cursor: str | None


class Invitation(ContractModel):
    # A manager works at a branch (`manager_branch`): an owner needs none.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"role": {"const": "owner"}}},
                {"required": ["branchId"], "properties": {"branchId": {"type": "string", "minLength": 1}}},
            ]
        }
    )

    email: Email
    role: Literal["owner", "manager"]
    branch_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None

    def command(self) -> InvitePerson:
        return InvitePerson(self.email, StaffRole(self.role), self.branch_id)


class PersonEdit(NoNullsModel):
    role: Literal["owner", "manager"] | SkipJsonSchema[None] = None
    branch_id: Annotated[str, Field(min_length=1, max_length=64)] | SkipJsonSchema[None] = None

    def changes(self) -> PersonChanges:
        return PersonChanges(StaffRole(self.role) if self.role is not None else None, self.branch_id)


class PersonAnswer(ContractModel):
    user_id: str
    email: str | None
    role: Literal["owner", "manager"]
    branch_id: str | None
    status: Literal["INVITED", "ACTIVE", "REMOVED"]
    invited_at: str
    last_seen_at: str | None


class StaffPage(ContractModel):
    items: list[PersonAnswer]
    next_cursor: str | None


def _known(pattern: str, unknown: Callable[[], NotFound]) -> Callable[[Any], Any]:
    """Before the declared shape is checked: a path id that cannot be one is the route's 404, as elsewhere."""

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(pattern, value):
            raise unknown()
        return value

    return check


BranchId = Annotated[
    str,
    Path(min_length=1, max_length=64, description="Branch id (`brn_…`)"),
    BeforeValidator(_known(r"[A-Za-z0-9_-]{1,64}", BranchNotFound)),
]
UserId = Annotated[
    str,
    Path(min_length=1, max_length=64, description="The person's user id (`sub`)"),
    BeforeValidator(_known(r"[A-Za-z0-9_-]{1,64}", PersonNotFound)),
]
