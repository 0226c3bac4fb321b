"""The brand an offer's Google class wears: the offer's own, else its business's (decision 0025e's deploy step and
the wallet sync build it the same way, through `class_look`)."""

from __future__ import annotations

from collections.abc import Callable

from loyalty.adapters.google.objects import ClassLook
from loyalty.domain.brand import BusinessProfile, worn_by
from loyalty.domain.offers import Offer


def class_look(
    offer: Offer,
    found: BusinessProfile | None,
    image_url: Callable[[str, str], str] | None,
) -> ClassLook | None:
    """`found`: the business's profile, if it has one; `image_url(image_id, rendition)`: where Google fetches a
    brand image, None where the web origin's address is not known (the class then shows no brand images)."""
    if found is None and offer.brand is None:
        return None
    profile = worn_by(found or BusinessProfile(offer.business_id, "", None), offer.brand)
    brand = profile.brand
    logo, strip = brand.logo_image_id, brand.strip_image_id
    return ClassLook(
        issuer_name=profile.name,
        issuer_name_ar=profile.name_ar,
        background_color=brand.background_color,
        logo_url=image_url(logo, "google-logo.png") if logo and image_url else None,
        hero_url=image_url(strip, "google-hero.png") if strip and image_url else None,
    )


def brand_images_at(web_base_url: str) -> Callable[[str, str], str] | None:
    """Where Google fetches brand images: the web origin's `/brand-images/…`, None without a full address."""
    if not web_base_url.startswith(("https://", "http://")):
        return None
    base = web_base_url.rstrip("/")
    return lambda image_id, rendition: f"{base}/brand-images/{image_id}/{rendition}"
