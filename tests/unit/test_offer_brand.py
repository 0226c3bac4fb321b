"""An offer's own brand: checked as the business's is, saved with the edit or not at all, worn by the offer's passes,
Google class, public card and preview instead of the business's, and `null` goes back to the business's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from loyalty.adapters.apple.brand import ApplePassBrands, offer_look
from loyalty.adapters.images.renditions import renditions
from loyalty.adapters.wallet_preview import WalletPreviewRenderer
from loyalty.app.brand.brand_images import start_upload
from loyalty.app.brand.offer_brand import edit_offer_with_brand
from loyalty.app.brand.public_offer import public_offer_view
from loyalty.app.offers.commands import EditOffer
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.brand import ImageInvalid, ImageKind, LowContrast, brand_from_fields
from loyalty.domain.clock import parse_iso
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.offers import Offer, OfferNotFound, parse_offer_edit
from loyalty.entrypoints.http.render import offer_answer
from tests.support.apple_passes import a_pass, an_offer
from tests.support.fakes import (
    ApplePushes,
    GoogleObjects,
    InMemoryBrandImages,
    InMemoryBusinessProfiles,
    InMemoryOfferStore,
    Offers,
)
from tests.support.google_service_account import StreamRecords
from tests.support.images import SVG, encoded

BUSINESS = "biz_offerbrand0001"
HOUSE = {"backgroundColor": "#1B4332", "foregroundColor": "#FFFFFF", "labelColor": "#D8F3DC"}
SUMMER = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


def clock():  # type: ignore[no-untyped-def]
    return parse_iso("2026-12-07T10:00:00Z")


@pytest.fixture
def profiles() -> InMemoryBusinessProfiles:
    profiles = InMemoryBusinessProfiles()
    profiles.put_names(BUSINESS, "Bean There", "بين ذير", at="t")
    profiles.save_brand(BUSINESS, brand_from_fields(HOUSE), at="t")
    return profiles


@pytest.fixture
def images() -> InMemoryBrandImages:
    return InMemoryBrandImages()


@pytest.fixture
def offers() -> InMemoryOfferStore:
    return InMemoryOfferStore()


def upload(images: InMemoryBrandImages, data: bytes, business_id: str = BUSINESS) -> str:
    ticket = start_upload(images, business_id, "image/png")
    images.uploads[(business_id, ticket.image_id)] = data
    return ticket.image_id


def patch(offers, profiles, images, offer_id: str, body: object):  # type: ignore[no-untyped-def]
    command = EditOffer(BUSINESS, offer_id, parse_offer_edit(body))
    return edit_offer_with_brand(offers, profiles, images, renditions, command, clock=clock)


def test_an_offer_brand_is_drawn_saved_and_answered(
    offers: InMemoryOfferStore, profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    logo = upload(images, encoded(900, 300))

    edited = patch(offers, profiles, images, offer.offer_id, {"brand": {"logoImageId": logo, **SUMMER}})

    assert edited.brand is not None and edited.brand.logo_image_id == logo
    assert edited.brand.background_color == "#FFF8E7"
    assert "logo@2x.png" in images.drawn[logo]
    answer = offer_answer(edited)["brand"]
    assert answer["logoImageId"] == logo and answer["backgroundColor"] == "#FFF8E7"
    # The business's own brand is untouched.
    assert profiles.profiles[BUSINESS].brand.background_color == "#1B4332"


def test_fields_left_out_are_those_the_offer_wears_now(
    offers: InMemoryOfferStore, profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    edited = patch(offers, profiles, images, offer.offer_id, {"brand": {"labelColor": "#B7E4C7"}})
    assert edited.brand is not None
    assert (edited.brand.background_color, edited.brand.label_color) == ("#1B4332", "#B7E4C7")


def test_null_goes_back_to_the_business_brand(
    offers: InMemoryOfferStore, profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    patch(offers, profiles, images, offer.offer_id, {"brand": SUMMER})
    edited = patch(offers, profiles, images, offer.offer_id, {"brand": None})
    assert edited.brand is None and offer_answer(edited)["brand"] is None
    look = offer_look(profiles, edited)
    assert look is not None and look.background_color == "#1B4332"


@pytest.mark.parametrize(
    ("brand", "refusal"),
    [
        ({"backgroundColor": "#FFFFFF", "foregroundColor": "#EEEEEE"}, LowContrast),
        ({"stripImageId": "svg"}, ImageInvalid),
        ({"logoImageId": "theirs"}, ImageInvalid),
        ({"backgroundColor": "white"}, ValidationFailed),
    ],
)
def test_a_refused_brand_keeps_nothing_of_the_edit(
    offers: InMemoryOfferStore,
    profiles: InMemoryBusinessProfiles,
    images: InMemoryBrandImages,
    brand: dict[str, str],
    refusal: type[Exception],
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    named = {
        "svg": upload(images, SVG),
        "theirs": upload(images, encoded(900, 300), business_id="biz_someoneelse01"),
    }
    body = {key: named.get(value, value) for key, value in brand.items()}

    with pytest.raises(refusal):
        patch(offers, profiles, images, offer.offer_id, {"name": "Renamed", "brand": body})

    assert offers.offers[offer.offer_id] == offer and images.drawn == {}


def test_another_business_offer_is_not_found(
    offers: InMemoryOfferStore, profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    theirs = an_offer("biz_someoneelse01")
    offers.add(theirs)
    with pytest.raises(OfferNotFound):
        patch(offers, profiles, images, theirs.offer_id, {"brand": SUMMER})
    assert offers.offers[theirs.offer_id].brand is None


def test_the_offer_brand_is_worn_by_its_passes_public_view_and_preview(
    profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    logo = upload(images, encoded(900, 300))
    images.keep_renditions(logo, renditions(encoded(900, 300), ImageKind.LOGO, "#FFF8E7"))
    summer = an_offer(BUSINESS, brand=brand_from_fields({"logoImageId": logo, **SUMMER}))
    plain = an_offer(BUSINESS)

    apple = ApplePassBrands(profiles, images)
    assert apple(summer).look is not None and apple(summer).look.background_color == "#FFF8E7"  # type: ignore[union-attr]
    assert "logo@2x.png" in apple(summer).images and apple(plain).images == {}
    assert apple(summer).look.business_name == "Bean There"  # type: ignore[union-attr]
    assert apple(plain).look.background_color == "#1B4332"  # type: ignore[union-attr]

    view = public_offer_view(
        {summer.offer_id: summer}.get, profiles, lambda i, n: f"/{i}/{n}", summer.offer_id
    )
    assert view.brand.background_color == "#FFF8E7" and view.logo_url == f"/{logo}/logo@2x.png"
    assert view.business.name == "Bean There"

    preview = WalletPreviewRenderer(90, lambda offer: offer_look(profiles, offer))
    summer_pass = a_pass(summer)
    drawn = preview.apple(summer_pass, summer, summer.ladder.standing(summer_pass.rewards_claimed), "en")
    assert drawn["backgroundColor"] == "rgb(255, 248, 231)"


@dataclass
class Ladders:
    changed: list[str] = field(default_factory=list)

    def ladder_changed(self, offer: Offer) -> None:
        self.changed.append(offer.offer_id)


def test_a_new_offer_brand_redraws_only_that_offer_and_its_class_quietly() -> None:
    before = an_offer(BUSINESS)
    after = replace(before, brand=brand_from_fields(SUMMER))
    google, ladders, records = GoogleObjects(), Ladders(), StreamRecords()
    wallets = Wallets(Offers({after.offer_id: after}), ApplePushes(), google, ladders)

    assert sync_batch([records.offer_changed(before, after)], wallets) == []

    assert ladders.changed == [after.offer_id] and google.class_updates == [after.offer_id]
    assert (
        google.updates == []
    )  # the passes themselves are redrawn off the stream, quietly (wallets/refresh.py)


def test_the_same_offer_brand_again_redraws_nothing() -> None:
    branded = an_offer(BUSINESS, brand=brand_from_fields(SUMMER))
    google, ladders, records = GoogleObjects(), Ladders(), StreamRecords()
    wallets = Wallets(Offers({branded.offer_id: branded}), ApplePushes(), google, ladders)
    assert sync_batch([records.offer_changed(branded, replace(branded, updated_at="later"))], wallets) == []
    assert ladders.changed == [] and google.class_updates == []
