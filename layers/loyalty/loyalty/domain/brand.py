"""A business's brand: the name, images and colours its passes, join page and poster wear.

An offer may carry a brand of its own; without one it wears the business's. Colours are checked against WCAG 2.x's
contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): text at AA needs 4.5:1 against its background
(https://www.w3.org/TR/WCAG21/#contrast-minimum).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.ids import id_pattern

MIN_TEXT_CONTRAST = 4.5
COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
IMAGE_ID = re.compile(id_pattern("img"))

# What every pass wore before brands: the platform's dark card with white text and a light grey label.
DEFAULT_BACKGROUND = "#1C1C24"
DEFAULT_FOREGROUND = "#FFFFFF"
DEFAULT_LABEL = "#C4C4D2"


class ImageKind(StrEnum):
    LOGO = "logo"
    ICON = "icon"
    STRIP = "strip"


class LowContrast(ValidationFailed):
    """422 LOW_CONTRAST: a text colour a customer could not read against the background."""

    def __init__(self, details: list[FieldError]) -> None:
        super().__init__(
            details,
            "A text colour is too close to the background to read (WCAG AA asks for 4.5:1).",
            code="LOW_CONTRAST",
        )


class ImageInvalid(ValidationFailed):
    """422 IMAGE_INVALID: a brand names an image that is not one a pass can wear (or not this business's)."""

    def __init__(self, details: list[FieldError]) -> None:
        super().__init__(details, "An image of the brand cannot be used.", code="IMAGE_INVALID")


class UnusableImage(Exception):
    """Why an upload cannot fill its slot, in words for the business (made into IMAGE_INVALID by the use case)."""


@dataclass(frozen=True)
class Brand:
    logo_image_id: str | None = None
    icon_image_id: str | None = None
    strip_image_id: str | None = None
    background_color: str = DEFAULT_BACKGROUND
    foreground_color: str = DEFAULT_FOREGROUND
    label_color: str = DEFAULT_LABEL

    def image_ids(self) -> dict[ImageKind, str]:
        """The images the brand names, by the slot they fill."""
        named = {
            ImageKind.LOGO: self.logo_image_id,
            ImageKind.ICON: self.icon_image_id,
            ImageKind.STRIP: self.strip_image_id,
        }
        return {kind: image_id for kind, image_id in named.items() if image_id}

    def as_fields(self) -> dict[str, str | None]:
        """The contract's Brand fields that are stored (all but the read-only `logoUrl`)."""
        return {
            "logoImageId": self.logo_image_id,
            "iconImageId": self.icon_image_id,
            "stripImageId": self.strip_image_id,
            "backgroundColor": self.background_color,
            "foregroundColor": self.foreground_color,
            "labelColor": self.label_color,
        }


DEFAULT_BRAND = Brand()

_FIELDS = {
    "logoImageId": "logo_image_id",
    "iconImageId": "icon_image_id",
    "stripImageId": "strip_image_id",
    "backgroundColor": "background_color",
    "foregroundColor": "foreground_color",
    "labelColor": "label_color",
}


def brand_from_fields(raw: Mapping[str, Any], base: Brand = DEFAULT_BRAND, prefix: str = "brand") -> Brand:
    """A brand from the contract's fields, each missing one kept from `base`: 422 VALIDATION_ERROR for a field
    that is not one, a colour not `#RRGGBB` or an image id of the wrong shape; 422 LOW_CONTRAST for text that
    would not be readable. Whether the images exist and are this business's is the use case's to check."""
    problems: list[FieldError] = []
    values: dict[str, Any] = {}
    for name, value in raw.items():
        attribute = _FIELDS.get(name)
        if attribute is None:
            if name != "logoUrl":  # read-only: a client may send back what it read
                problems.append(FieldError(f"{prefix}.{name}", "is not a field of a brand"))
            continue
        if attribute.endswith("_color"):
            if not isinstance(value, str) or not COLOR.match(value):
                problems.append(FieldError(f"{prefix}.{name}", "must be a colour as #RRGGBB"))
                continue
            values[attribute] = value.upper()
        else:
            if value is not None and (not isinstance(value, str) or not IMAGE_ID.match(value)):
                problems.append(FieldError(f"{prefix}.{name}", "must be an image id from an upload, or null"))
                continue
            values[attribute] = value
    if problems:
        raise ValidationFailed(problems)
    brand = replace(base, **values)
    check_contrast(brand, prefix)
    return brand


def check_contrast(brand: Brand, prefix: str = "brand") -> None:
    problems = []
    for name, color in (("foregroundColor", brand.foreground_color), ("labelColor", brand.label_color)):
        ratio = contrast_ratio(color, brand.background_color)
        if ratio < MIN_TEXT_CONTRAST:
            problems.append(
                FieldError(
                    f"{prefix}.{name}",
                    f"contrast {ratio:.2f}:1 against the background; at least {MIN_TEXT_CONTRAST}:1 is needed",
                )
            )
    if problems:
        raise LowContrast(problems)


def relative_luminance(color: str) -> float:
    """WCAG's relative luminance of an sRGB `#RRGGBB` (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance)."""
    channels = []
    for start in (1, 3, 5):
        value = int(color[start : start + 2], 16) / 255
        channels.append(value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@dataclass(frozen=True)
class BusinessProfile:
    """What a customer sees of the business behind an offer: its names and its brand."""

    business_id: str
    name: str
    name_ar: str | None
    brand: Brand = DEFAULT_BRAND


def worn_by(profile: BusinessProfile, offer_brand: Brand | None) -> BusinessProfile:
    """The profile an offer's passes, join page and poster show: the business's names, and the offer's own brand
    when it has one, else the business's."""
    return profile if offer_brand is None else replace(profile, brand=offer_brand)
