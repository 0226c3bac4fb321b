"""The business's, its branches' and its people's commands: what the owner asks, in the domain's words, typed once
at the edge. An edit names only what it changes: a field it leaves out is `UNSET` (or `None` where the field may
not be emptied), so "leave it" and "clear it" never look alike."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from loyalty.domain.business import BranchStatus, StaffRole


class Unset(Enum):
    UNSET = "unset"


UNSET = Unset.UNSET


@dataclass(frozen=True)
class CreateBusiness:
    """The caller's business; `token_business_id` is the business the caller's token already names, if any."""

    user_id: str
    email: str | None
    token_business_id: str | None
    name: str
    name_ar: str | None = None
    timezone: str = "UTC"
    default_language: str = "en"


@dataclass(frozen=True)
class BusinessChanges:
    """Names, timezone and default language; `brand` the brand's fields as sent (checked by the brand's rules,
    domain/brand.py), or None to leave the brand."""

    name: str | None = None
    name_ar: str | Unset | None = UNSET
    timezone: str | None = None
    default_language: str | None = None
    brand: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class AddBranch:
    name: str
    name_ar: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class BranchChanges:
    name: str | None = None
    name_ar: str | Unset | None = UNSET
    address: str | Unset | None = UNSET
    latitude: float | Unset | None = UNSET
    longitude: float | Unset | None = UNSET
    status: BranchStatus | None = None


@dataclass(frozen=True)
class InvitePerson:
    """A manager (at a branch) or a co-owner, by email."""

    email: str
    role: StaffRole
    branch_id: str | None = None


@dataclass(frozen=True)
class PersonChanges:
    role: StaffRole | None = None
    branch_id: str | None = None
