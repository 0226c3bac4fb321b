"""The typed contract of the business, its branches and its people (../shared/API.md, "The business, its branches
and its people"): request bodies validated here, answers declared for the OpenAPI document."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import available_timezones

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import AfterValidator, Field

from loyalty.domain.customers import InvalidEmail, parse_email
from loyalty.entrypoints.http.brand_contract import Brand, BrandDraft
from loyalty.entrypoints.http.contract import ContractModel

_ZONES = frozenset(available_timezones())


def _timezone(value: str) -> str:
    if value not in _ZONES:
        raise ValueError("is not an IANA time zone name (e.g. Asia/Riyadh)")
    return value


def _email(value: str) -> str:
    try:
        return parse_email(value)
    except InvalidEmail as error:
        raise ValueError(str(error)) from error


Email = Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_email)]
Timezone = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_timezone)]
Language = Literal["en", "ar"]
Name = Annotated[str, Field(min_length=1, max_length=60)]


class NewBusiness(ContractModel):
    name: Name
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    timezone: Timezone = "UTC"
    default_language: Language = "en"


class BusinessEdit(ContractModel):
    name: Name | None = None
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    timezone: Timezone | None = None
    default_language: Language | None = None
    brand: BrandDraft | None = None


class BusinessAnswer(ContractModel):
    business_id: str
    name: str
    name_ar: str | None
    timezone: str
    default_language: Language
    brand: Brand
    created_at: str


class NewBranch(ContractModel):
    name: Name
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None


class BranchEdit(ContractModel):
    name: Name | None = None
    name_ar: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    status: Literal["ACTIVE", "ARCHIVED"] | None = None


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
    email: Email
    role: Literal["owner", "manager"]
    branch_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class PersonEdit(ContractModel):
    role: Literal["owner", "manager"] | None = None
    branch_id: Annotated[str, Field(min_length=1, max_length=64)] | None = None


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


BranchId = Annotated[str, Path(min_length=1, max_length=64, description="Branch id (`brn_…`)")]
UserId = Annotated[str, Path(min_length=1, max_length=64, description="The person's user id (`sub`)")]
