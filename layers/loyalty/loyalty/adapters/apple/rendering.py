"""A pass as Apple Wallet receives it: content from the pass, its offer and tier standing, signed and zipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from loyalty.adapters.apple.brand import BrandedPass
from loyalty.adapters.apple.content import PassIssuer, pass_document, pass_face
from loyalty.adapters.apple.credentials import PassSigningCredentials
from loyalty.adapters.apple.package import build_pkpass
from loyalty.domain.clock import parse_iso
from loyalty.domain.consent import preferences_url
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass


class PassRenderer:
    def __init__(
        self,
        issuer: PassIssuer,
        credentials: Callable[[], PassSigningCredentials],
        inactivity_days: int,
        brands: Callable[[Offer], BrandedPass] | None = None,
        web_base_url: str = "",
        web_service_url: Callable[[], str] | None = None,
    ) -> None:
        self.issuer = issuer
        self._credentials = credentials
        self._inactivity_days = inactivity_days
        self._brands = brands
        self._web_base_url = web_base_url
        # Where a pass rendered now sends the phone, asked at each render (the issuer's own URL without it).
        self._web_service_url = web_service_url

    @property
    def pass_type_id(self) -> str:
        return self.issuer.pass_type_id

    def render(self, pass_: Pass, offer: Offer) -> bytes:
        standing = offer.ladder.standing(pass_.rewards_claimed)
        link = preferences_url(self._web_base_url, pass_) if self._web_base_url else None
        face = pass_face(pass_, offer, standing, self._inactivity_days, link)
        branded = self._brands(offer) if self._brands else BrandedPass(None, {})
        issuer = self.issuer
        if self._web_service_url is not None:
            issuer = replace(issuer, web_service_url=self._web_service_url())
        return build_pkpass(
            pass_document(face, issuer, branded.look),
            self._credentials(),
            parse_iso(pass_.updated_at),
            branded.images,
        )
