"""What the wallets would show of a pass, built by the code that builds the real passes (apple/content.py,
google/objects.py), so the dashboard's preview cannot drift from what customers get."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty.adapters.apple.content import PassIssuer, PassLook, pass_document, pass_face
from loyalty.adapters.google.objects import loyalty_object_patch
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.tiers import TierStanding

APPLE_SECTIONS = ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields")
# The issuer's identity is not part of what a customer sees; a placeholder stands in for it.
_PREVIEW_ISSUER = PassIssuer("pass.preview", "PREVIEW", "Preview", "https://preview.invalid/wallet/apple")


class WalletPreviewRenderer:
    def __init__(self, inactivity_days: int, looks: Callable[[str], PassLook | None] | None = None) -> None:
        self._inactivity_days = inactivity_days
        self._looks = looks

    def apple(self, pass_: Pass, offer: Offer, standing: TierStanding, language: str) -> dict[str, Any]:
        # The business's brand as the real pass wears it (its colours, and a tier colour only where readable).
        look = self._looks(offer.business_id) if self._looks else None
        face = pass_face(pass_, offer, standing, self._inactivity_days)
        document = pass_document(face, _PREVIEW_ISSUER, look)
        strings = document.strings[language]
        store_card = document.pass_json["storeCard"]
        apple: dict[str, Any] = {
            key: document.pass_json[key] for key in ("backgroundColor", "foregroundColor", "labelColor")
        }
        for section in APPLE_SECTIONS:
            apple[section] = [
                {
                    name: strings.get(value, value) if name in ("label", "value", "changeMessage") else value
                    for name, value in field.items()
                }
                for field in store_card.get(section, [])
            ]
        return apple

    def google(self, pass_: Pass, standing: TierStanding) -> dict[str, Any]:
        google = loyalty_object_patch(pass_, standing, notify=False)
        return {"loyaltyPoints": google["loyaltyPoints"], "textModulesData": google["textModulesData"]}
