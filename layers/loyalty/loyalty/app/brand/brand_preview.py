"""A brand being drafted, for the pass preview (POST /pass-preview with `brand`): checked as PATCH checks it
(fields, contrast 422 LOW_CONTRAST, images decoded and this business's 422 IMAGE_INVALID), and nothing of the brand
saved. The fields the draft leaves out are those the offer wears now (its own brand, else the business's), as
PATCH /api/offers/{offerId} fills them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from loyalty.app.brand.brand_images import draw_brand_images
from loyalty.app.brand.public_offer import business_profile
from loyalty.app.ports.brand import BrandImages, BusinessProfiles, DrawRenditions
from loyalty.domain.brand import Brand, brand_from_fields
from loyalty.domain.offers import Offer


@dataclass(frozen=True)
class BrandDrafts:
    """What checking a draft brand needs: the business's saved brand, its uploads, and the drawing of them."""

    profiles: BusinessProfiles
    images: BrandImages
    draw: DrawRenditions

    def draft(self, offer: Offer, fields: Mapping[str, Any]) -> Brand:
        """The brand the offer's passes would wear with this draft. An image no brand has worn yet gets its sizes
        drawn (the preview shows them where the passes would fetch them); the sizes of an image already worn are
        left as they are, so a preview never changes what a live pass shows."""
        base = offer.brand or business_profile(self.profiles, offer.business_id).brand
        brand = brand_from_fields(fields, base)
        draw_brand_images(self.images, self.draw, offer.business_id, brand, redraw=False)
        return brand
