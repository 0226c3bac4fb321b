"""The business's brand as its Apple passes wear it: its name and colours, read at each render (a brand change
reaches the next download), and its images, the sizes drawn when the brand was saved."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from loyalty.adapters.apple.content import PassLook
from loyalty.adapters.images.renditions import RENDITIONS
from loyalty.app.ports.brand import BrandImages, BusinessProfiles
from loyalty.domain.brand import ImageKind

# Apple's files only (Google's logo and hero are fetched by Google from the web origin).
_APPLE_FILES = {
    kind: [r.name for r in RENDITIONS[kind] if not r.name.startswith("google-")] for kind in ImageKind
}


@dataclass(frozen=True)
class BrandedPass:
    look: PassLook | None
    images: dict[str, bytes]


class ApplePassBrands:
    """Per business: the look and images of its passes. A drawn size never changes under its image id (a new
    upload is a new id), so the bytes are kept per container; the profile is read every time."""

    def __init__(self, profiles: BusinessProfiles, images: BrandImages, keep: int = 256) -> None:
        self._profiles = profiles
        self._images = images
        self._kept: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._keep = keep

    def __call__(self, business_id: str) -> BrandedPass:
        profile = self._profiles.profile(business_id)
        if profile is None:
            return BrandedPass(None, {})
        brand = profile.brand
        look = PassLook(
            profile.name,
            profile.name_ar,
            brand.background_color,
            brand.foreground_color,
            brand.label_color,
        )
        files: dict[str, bytes] = {}
        for kind, image_id in brand.image_ids().items():
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
