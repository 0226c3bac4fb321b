"""An offer's own brand (PATCH /api/offers/{offerId} with `brand`): checked as the business's is (contrast, images
decoded, drawn and this business's), saved with the rest of the edit in the same conditional write, and `null` goes
back to the business's brand. The passes then follow through the stream: the offer's Google class and only this
offer's passes are redrawn, quietly (app/wallets/sync.py, `Offer.wallet_face`)."""

from __future__ import annotations

from collections.abc import Mapping

from loyalty.app.brand.brand_images import draw_brand_images
from loyalty.app.brand.public_offer import business_profile
from loyalty.app.offers.catalog import find_offer
from loyalty.app.offers.commands import EditOffer
from loyalty.app.ports.brand import BrandImages, BusinessProfiles, DrawRenditions
from loyalty.app.ports.offers import OfferStore
from loyalty.domain.brand import brand_from_fields
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.ids import is_id
from loyalty.domain.offers import Offer, OfferChanges, OfferNotFound


def edit_offer_with_brand(
    offers: OfferStore,
    profiles: BusinessProfiles,
    images: BrandImages,
    draw: DrawRenditions,
    command: EditOffer,
    *,
    clock: Clock,
) -> Offer:
    """PATCH an offer, its brand included. The fields a new offer brand leaves out are those the offer wears now
    (its own brand, else the business's). Every refusal (422 VALIDATION_ERROR, LOW_CONTRAST, IMAGE_INVALID) comes
    before anything is written."""
    business_id, offer_id = command.business_id, command.offer_id
    if not is_id(offer_id, "off"):
        raise OfferNotFound()
    edit = command.edit
    fields = edit.changes.get("brand")
    if isinstance(fields, Mapping):
        offer = find_offer(offers, business_id, offer_id)
        base = offer.brand or business_profile(profiles, business_id).brand
        brand = brand_from_fields(fields, base)
        if brand != offer.brand:
            draw_brand_images(images, draw, business_id, brand)
        edit = OfferChanges({**edit.changes, "brand": brand})
    return offers.edit(offer_id, business_id, edit, at=to_iso(clock()))
