"""The offer routes' commands: what the owner asks, in the domain's words, parsed once at the edge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loyalty.domain.offers import OfferChanges, OfferTerms
from loyalty.domain.tiers import TierConfig


@dataclass(frozen=True)
class CreateOffer:
    business_id: str
    terms: OfferTerms
    idempotency_key: str | None = None


@dataclass(frozen=True)
class EditOffer:
    business_id: str
    offer_id: str
    edit: OfferChanges


@dataclass(frozen=True)
class SetTiers:
    """Replace an offer's ladder (`config`), or back to the default ladder (None)."""

    business_id: str
    offer_id: str
    config: TierConfig | None


@dataclass(frozen=True)
class PreviewPass:
    """What a pass of the offer would show at these counts, under a drafted ladder (None: the saved one)."""

    business_id: str
    offer_id: str
    draft: TierConfig | None = None
    current_stamps: int = 0
    rewards_claimed: int = 0
    language: str = "en"
    # A draft brand as PATCH takes it (its fields), worn by the preview only; None: the saved one.
    brand: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class StartExport:
    """Write the offer's members to a CSV file, off the request path."""

    business_id: str
    offer_id: str
    idempotency_key: str | None = None


@dataclass(frozen=True)
class ReadExport:
    """An export's progress (and, once done, its download link)."""

    business_id: str
    export_id: str
