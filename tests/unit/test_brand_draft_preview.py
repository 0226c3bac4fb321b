"""The pass preview with a draft brand: drawn by the builders of the real passes with the draft instead of the saved
brand, checked as PATCH checks it, and nothing of the brand saved (nor the sizes of an image a live pass wears)."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.apple.brand import offer_look
from loyalty.adapters.google.objects import ClassLook
from loyalty.adapters.images.renditions import renditions
from loyalty.adapters.wallet_preview import WalletPreviewRenderer
from loyalty.app.brand.brand_images import set_business_brand, start_upload
from loyalty.app.brand.brand_preview import BrandDrafts
from loyalty.app.passes.preview import preview_pass
from loyalty.domain.brand import BusinessProfile, ImageInvalid, LowContrast, brand_from_fields, worn_by
from loyalty.domain.clock import parse_iso
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.offers import Offer
from loyalty.entrypoints.http.operations import PassPreviewRequest
from loyalty.entrypoints.http.render import preview_answer
from tests.support.apple_passes import an_offer
from tests.support.fakes import InMemoryBrandImages, InMemoryBusinessProfiles, InMemoryOfferStore
from tests.support.images import encoded

BUSINESS = "biz_draftpreview01"
HOUSE = {"backgroundColor": "#1B4332", "foregroundColor": "#FFFFFF", "labelColor": "#D8F3DC"}
DRAFT = {"backgroundColor": "#7A1F3D", "foregroundColor": "#FFFFFF", "labelColor": "#FFD6E0"}


def clock():  # type: ignore[no-untyped-def]
    return parse_iso("2026-12-07T10:00:00Z")


class World:
    def __init__(self) -> None:
        self.profiles = InMemoryBusinessProfiles()
        self.profiles.put_names(BUSINESS, "Rose Roastery", "روز", at="t")
        self.profiles.save_brand(BUSINESS, brand_from_fields(HOUSE), at="t")
        self.images = InMemoryBrandImages()
        self.offers = InMemoryOfferStore()
        self.offer = an_offer(BUSINESS)
        self.offers.add(self.offer)
        self.renderer = WalletPreviewRenderer(
            90,
            lambda offer: offer_look(self.profiles, offer),
            class_looks=self._class_look,
            issuer_name="Platform",
            apple_images=self._apple_images,
        )

    def _worn(self, offer: Offer) -> BusinessProfile:
        found = self.profiles.profile(offer.business_id) or BusinessProfile(offer.business_id, "", None)
        return worn_by(found, offer.brand)

    def _class_look(self, offer: Offer) -> ClassLook:
        worn = self._worn(offer)
        logo = worn.brand.logo_image_id
        return ClassLook(
            worn.name,
            worn.name_ar,
            worn.brand.background_color,
            f"/{logo}/google-logo.png" if logo else None,
            None,
        )

    def _apple_images(self, offer: Offer) -> dict[str, str | None]:
        logo = self._worn(offer).brand.logo_image_id
        return {"logo": f"/{logo}/logo@2x.png" if logo else None, "strip": None}

    def upload(self, business_id: str = BUSINESS) -> str:
        ticket = start_upload(self.images, business_id, "image/png")
        self.images.uploads[(business_id, ticket.image_id)] = encoded(900, 300)
        return ticket.image_id

    def preview(self, body: dict[str, Any]) -> dict[str, Any]:
        drafts = BrandDrafts(self.profiles, self.images, renditions)
        command = PassPreviewRequest.model_validate(body).command(BUSINESS, self.offer.offer_id)
        drawn = preview_pass(self.offers, self.renderer, command, clock=clock, brands=drafts)
        return preview_answer(drawn)

    def save(self, fields: dict[str, Any]) -> None:
        set_business_brand(self.profiles, self.images, renditions, BUSINESS, fields, at="t")


@pytest.fixture
def world() -> World:
    return World()


def test_a_draft_brand_previews_what_the_saved_brand_then_shows(world: World) -> None:
    logo = world.upload()
    draft = {**DRAFT, "logoImageId": logo}

    drafted = world.preview({"brand": draft, "currentStamps": 2})

    assert drafted["apple"]["backgroundColor"] == "rgb(122, 31, 61)"
    assert drafted["apple"]["logoText"] == "Rose Roastery"
    assert drafted["apple"]["logoUrl"] == f"/{logo}/logo@2x.png"
    assert drafted["google"]["hexBackgroundColor"] == "#7A1F3D"
    assert drafted["google"]["programLogoUrl"] == f"/{logo}/google-logo.png"
    assert world.profiles.profile(BUSINESS).brand == brand_from_fields(HOUSE)  # type: ignore[union-attr]
    assert world.preview({"currentStamps": 2})["apple"]["backgroundColor"] == "rgb(27, 67, 50)"  # still saved

    world.save(draft)

    assert world.preview({"currentStamps": 2}) == drafted


def test_the_fields_a_draft_leaves_out_are_those_worn_now(world: World) -> None:
    drafted = world.preview({"brand": {"labelColor": "#FFFFFF"}})

    assert drafted["apple"]["backgroundColor"] == "rgb(27, 67, 50)"
    assert drafted["apple"]["labelColor"] == "rgb(255, 255, 255)"


def test_a_low_contrast_draft_is_refused_and_nothing_is_saved_or_drawn(world: World) -> None:
    logo = world.upload()

    with pytest.raises(LowContrast) as refused:
        world.preview(
            {"brand": {"logoImageId": logo, "backgroundColor": "#FFFFFF", "foregroundColor": "#EEEEEE"}}
        )

    assert [d.field for d in refused.value.details] == ["brand.foregroundColor", "brand.labelColor"]
    assert world.profiles.profile(BUSINESS).brand == brand_from_fields(HOUSE)  # type: ignore[union-attr]
    assert world.images.drawn == {}


def test_an_image_of_another_business_is_refused(world: World) -> None:
    theirs = world.upload("biz_someoneelse001")

    with pytest.raises(ImageInvalid) as refused:
        world.preview({"brand": {"logoImageId": theirs}})

    assert refused.value.details[0].field == "brand.logoImageId"


def test_a_brand_that_is_not_an_object_is_a_validation_error(world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        world.preview({"brand": "red"})

    assert refused.value.details[0].field == "brand"


def test_previewing_never_redraws_an_image_a_live_pass_wears(world: World) -> None:
    logo = world.upload()
    world.save({**HOUSE, "logoImageId": logo})
    worn = dict(world.images.drawn[logo])

    world.preview({"brand": {**DRAFT, "logoImageId": logo}})

    assert (
        world.images.drawn[logo] == worn
    )  # the Google logo keeps the saved background until the brand is saved
