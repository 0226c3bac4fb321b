"""`GET /api/public/offers/{offerId}`: what a customer may see of an offer before joining — its texts, its goal,
whether it still takes members and the brand it wears. Nothing else (no counts, no tiers, no ids of people)."""

from __future__ import annotations

from dataclasses import dataclass

from loyalty.app.ports.brand import BusinessProfiles, ImageUrl
from loyalty.app.ports.offers import OfferLookup
from loyalty.domain.brand import Brand, BusinessProfile
from loyalty.domain.offers import Offer, OfferNotFound

LOGO_RENDITION = "logo@2x.png"


@dataclass(frozen=True)
class PublicOfferView:
    offer: Offer
    business: BusinessProfile
    brand: Brand
    logo_url: str | None


def business_profile(profiles: BusinessProfiles, business_id: str) -> BusinessProfile:
    """The business's profile or, until it has one, no name (an id is never shown to a customer) and the
    platform's brand."""
    return profiles.profile(business_id) or BusinessProfile(business_id, "", None)


def public_offer_view(
    offers: OfferLookup, profiles: BusinessProfiles, image_url: ImageUrl, offer_id: str
) -> PublicOfferView:
    offer = offers(offer_id)
    if offer is None:
        raise OfferNotFound()
    business = business_profile(profiles, offer.business_id)
    brand = offer.brand or business.brand  # the offer's own brand, else the business's
    logo = brand.logo_image_id
    return PublicOfferView(offer, business, brand, image_url(logo, LOGO_RENDITION) if logo else None)
