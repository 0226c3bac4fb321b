"""PATCH /api/business: the brand first, under its own rules (images checked and drawn, contrast), so a refused
brand leaves the names as they were too; then the names; and only once both are saved, the passes redrawn (they
wear the business's name and its brand) if either changed. The business is read once."""

from __future__ import annotations

from dataclasses import replace

from loyalty.app.brand.brand_images import BrandChanged, set_business_brand
from loyalty.app.ports.brand import BrandImages, BusinessProfiles, DrawRenditions
from loyalty.app.ports.staff import BusinessRecords
from loyalty.app.staff.accounts import get_business
from loyalty.app.staff.commands import UNSET, BusinessChanges
from loyalty.domain.business import Business


def edit_business(
    records: BusinessRecords,
    profiles: BusinessProfiles,
    images: BrandImages,
    draw: DrawRenditions,
    business_id: str,
    changes: BusinessChanges,
    *,
    at: str,
    redraw: BrandChanged | None = None,
) -> Business:
    business = get_business(records, business_id)
    brand = business.brand
    if changes.brand is not None:
        brand = set_business_brand(
            profiles, images, draw, business_id, changes.brand, at=at, current=business.brand
        )
    edited = replace(
        business,
        name=changes.name if changes.name is not None else business.name,
        name_ar=business.name_ar if changes.name_ar is UNSET else changes.name_ar,
        timezone=changes.timezone or business.timezone,
        default_language=changes.default_language or business.default_language,
        brand=brand,
    )
    if replace(edited, brand=business.brand) != business:
        records.save_business(edited)
    if redraw is not None and (edited.name, edited.name_ar, edited.brand) != (
        business.name,
        business.name_ar,
        business.brand,
    ):
        redraw(business_id)
    return edited
