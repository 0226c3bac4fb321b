"""What the wallets would show of a pass, built by the code that builds the real passes (apple/content.py,
google/objects.py), so the dashboard's preview cannot drift from what customers get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty.adapters.apple.content import PassIssuer, PassLook, pass_document, pass_face
from loyalty.adapters.google.objects import ClassLook, loyalty_class, loyalty_object_patch
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding

APPLE_SECTIONS = ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields")
# The issuer's identity is not part of what a customer sees; a placeholder stands in for it.
_PREVIEW_ISSUER = PassIssuer("pass.preview", "PREVIEW", "Preview", "https://preview.invalid/wallet/apple")


# The images an offer's Apple pass wears, at their public addresses: `logo` and `strip` (None where it has none).
AppleImageUrls = Callable[[Offer], dict[str, str | None]]


class WalletPreviewRenderer:
    def __init__(
        self,
        inactivity_days: int,
        looks: Callable[[Offer], PassLook | None] | None = None,
        *,
        class_looks: Callable[[Offer], ClassLook | None] | None = None,
        issuer_name: str = "",
        program_logo_url: str = "",
        apple_images: AppleImageUrls | None = None,
    ) -> None:
        self._inactivity_days = inactivity_days
        self._looks = looks
        self._class_looks = class_looks
        self._issuer_name = issuer_name
        self._program_logo_url = program_logo_url
        self._apple_images = apple_images

    def apple(self, pass_: Pass, offer: Offer, standing: TierStanding, language: str) -> dict[str, Any]:
        # The business's brand as the real pass wears it (its colours, and a tier colour only where readable).
        look = self._looks(offer) if self._looks else None
        face = pass_face(pass_, offer, standing, self._inactivity_days)
        document = pass_document(face, _PREVIEW_ISSUER, look)
        strings = document.strings[language]
        store_card = document.pass_json["storeCard"]
        apple: dict[str, Any] = {
            key: document.pass_json[key]
            for key in ("backgroundColor", "foregroundColor", "labelColor", "organizationName", "logoText")
            if key in document.pass_json
        }
        images = self._apple_images(offer) if self._apple_images else {}
        apple["logoUrl"], apple["stripUrl"] = images.get("logo"), images.get("strip")
        for section in APPLE_SECTIONS:
            apple[section] = [
                {
                    name: strings.get(value, value) if name in ("label", "value", "changeMessage") else value
                    for name, value in field.items()
                }
                for field in store_card.get(section, [])
            ]
        return apple

    def google(self, pass_: Pass, standing: TierStanding, offer: Offer | None = None) -> dict[str, Any]:
        google = loyalty_object_patch(pass_, standing, notify=False)
        answer: dict[str, Any] = {
            "loyaltyPoints": google["loyaltyPoints"],
            "textModulesData": google["textModulesData"],
        }
        if offer is not None:
            # The class as the real one is built (adapters/google/objects.py), with the offer's brand.
            look = self._class_looks(offer) if self._class_looks else None
            drawn = loyalty_class("preview", self._issuer_name, self._program_logo_url, offer, look)
            answer["issuerName"] = drawn["issuerName"]
            answer["hexBackgroundColor"] = drawn.get("hexBackgroundColor")
            answer["programLogoUrl"] = drawn["programLogo"]["sourceUri"]["uri"] or None
            answer["heroImageUrl"] = drawn.get("heroImage", {}).get("sourceUri", {}).get("uri")
        return answer
