"""A business's brand: images uploaded straight to storage, then checked and drawn at every size when a brand names
them; colours checked for contrast; the brand saved only once all of it is usable (nothing half-taken)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from loyalty.app.brand.public_offer import business_profile
from loyalty.app.ports.brand import BrandImages, BusinessProfiles, DrawRenditions, UploadForm
from loyalty.domain.brand import Brand, ImageInvalid, ImageKind, UnusableImage, brand_from_fields
from loyalty.domain.errors import FieldError
from loyalty.domain.ids import new_id

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_SECONDS = 600
CONTENT_TYPES = ("image/png", "image/jpeg", "image/webp")
_SLOT_FIELDS = {ImageKind.LOGO: "logoImageId", ImageKind.ICON: "iconImageId", ImageKind.STRIP: "stripImageId"}

# Told the business id whose brand changed, once it is saved: every pass of the business is redrawn.
BrandChanged = Callable[[str], None]


@dataclass(frozen=True)
class UploadTicket:
    image_id: str
    upload: UploadForm


def start_upload(images: BrandImages, business_id: str, content_type: str) -> UploadTicket:
    """A presigned POST for one image: the storage itself refuses another type, a larger file or a late upload.
    What arrives is checked only when a brand names it (nothing is read or kept before)."""
    image_id = new_id("img")
    form = images.upload_form(
        business_id, image_id, content_type, max_bytes=MAX_UPLOAD_BYTES, expires_in=UPLOAD_SECONDS
    )
    return UploadTicket(image_id, form)


def set_business_brand(
    profiles: BusinessProfiles,
    images: BrandImages,
    draw: DrawRenditions,
    business_id: str,
    fields: Mapping[str, Any],
    *,
    at: str,
    current: Brand | None = None,
) -> Brand:
    """The brand the fields make of `current` (read from the profile when not given), its images checked and
    drawn, then saved; unchanged, nothing is drawn or saved. Redrawing the passes is the caller's to decide
    (app/brand/business_edit.py: once the names are saved too)."""
    if current is None:
        current = business_profile(profiles, business_id).brand
    brand = brand_from_fields(fields, current)
    if brand == current:
        return brand
    draw_brand_images(images, draw, business_id, brand)
    profiles.save_brand(business_id, brand, at=at)
    return brand


def draw_brand_images(
    images: BrandImages, draw: DrawRenditions, business_id: str, brand: Brand, *, redraw: bool = True
) -> None:
    """Every image the brand names, checked and drawn at each size (the Google logo on the brand's background);
    422 IMAGE_INVALID naming each unusable one, before anything is kept. With `redraw` False (a preview), the sizes
    of an image that already has them are not replaced."""
    problems: list[FieldError] = []
    drawn: dict[str, dict[str, bytes]] = {}
    for kind, image_id in brand.image_ids().items():
        field = f"brand.{_SLOT_FIELDS[kind]}"
        try:
            upload = images.uploaded(business_id, image_id, max_bytes=MAX_UPLOAD_BYTES)
            if upload is None:
                problems.append(FieldError(field, "is not an image this business uploaded"))
                continue
            drawn.setdefault(image_id, {}).update(draw(upload, kind, brand.background_color))
        except UnusableImage as unusable:
            problems.append(FieldError(field, f"the image {unusable}"))
    if problems:
        raise ImageInvalid(problems)
    for image_id, files in drawn.items():
        if redraw or not files or images.rendition(image_id, next(iter(files))) is None:
            images.keep_renditions(image_id, files)
