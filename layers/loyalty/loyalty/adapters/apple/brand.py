"""The business's brand as its Apple passes wear it: its name and colours, read at each render (a brand change
reaches the next download), and its images, the sizes drawn when the brand was saved."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from loyalty.adapters.apple.content import PassLook
from loyalty.adapters.images.renditions import RENDITIONS
from loyalty.app.ports.brand import BrandImages, BusinessProfiles
from loyalty.domain.brand import BusinessProfile, ImageKind, worn_by
from loyalty.domain.offers import Offer

# Apple's files only (Google's logo and hero are fetched by Google from the web origin).
_APPLE_FILES = {
    kind: [r.name for r in RENDITIONS[kind] if not r.name.startswith("google-")] for kind in ImageKind
}


def pass_look(profile: BusinessProfile | None) -> PassLook | None:
    """What the pass shows of the business: None until it has a profile (the platform's look)."""
    if profile is None:
        return None
    brand = profile.brand
    return PassLook(
        profile.name, profile.name_ar, brand.background_color, brand.foreground_color, brand.label_color
    )


@dataclass(frozen=True)
class BrandedPass:
    look: PassLook | None
    images: dict[str, bytes]


def offer_look(profiles: BusinessProfiles, offer: Offer) -> PassLook | None:
    """The look of the offer's passes: the business's names, the offer's own brand when it has one."""
    profile = profiles.profile(offer.business_id)
    if profile is None and offer.brand is None:
        return None
    return pass_look(worn_by(profile or BusinessProfile(offer.business_id, "", None), offer.brand))


class ApplePassBrands:
    """Per offer: the look and images of its passes (the offer's own brand, else its business's). A drawn size
    never changes under its image id (a new upload is a new id), so the bytes are kept per container; the profile
    is read every time."""

    def __init__(self, profiles: BusinessProfiles, images: BrandImages, keep: int = 256) -> None:
        self._profiles = profiles
        self._images = images
        self._kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._keep = keep

    def __call__(self, offer: Offer) -> BrandedPass:
        profile = self._profiles.profile(offer.business_id)
        if profile is None and offer.brand is None:
            return BrandedPass(None, {})
        worn = worn_by(profile or BusinessProfile(offer.business_id, "", None), offer.brand)
        look = pass_look(worn)
        files: dict[str, bytes] = {}
        for kind, image_id in worn.brand.image_ids().items():
            for name in _APPLE_FILES[kind]:
                data = self._rendition(image_id, name)
                if data is not None:
                    files[name] = data
        return BrandedPass(look, files)

    def _rendition(self, image_id: str, name: str) -> bytes | None:
        key = (image_id, name)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        data = self._images.rendition(image_id, name)
        if data is not None:
            self._kept[key] = data
            if len(self._kept) > self._keep:
                self._kept.popitem(last=False)
        return data
