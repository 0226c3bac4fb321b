"""Setting a business's brand: all of it usable or nothing kept (the redraw: tests/unit/test_business_edit.py)."""

from __future__ import annotations

import pytest

from loyalty.adapters.images.renditions import renditions
from loyalty.app.brand.brand_images import set_business_brand, start_upload
from loyalty.app.brand.public_offer import public_offer_view
from loyalty.domain.brand import ImageInvalid, LowContrast, brand_from_fields
from loyalty.domain.ids import is_id
from loyalty.domain.offers import OfferNotFound
from tests.support.apple_passes import an_offer
from tests.support.fakes import InMemoryBrandImages, InMemoryBusinessProfiles
from tests.support.images import SVG, encoded

BUSINESS = "biz_brandtest0001"
READABLE = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


@pytest.fixture
def profiles() -> InMemoryBusinessProfiles:
    return InMemoryBusinessProfiles()


@pytest.fixture
def images() -> InMemoryBrandImages:
    return InMemoryBrandImages()


def upload(images: InMemoryBrandImages, data: bytes, business_id: str = BUSINESS) -> str:
    ticket = start_upload(images, business_id, "image/png")
    images.uploads[(business_id, ticket.image_id)] = data
    return ticket.image_id


def test_an_upload_gets_a_fresh_image_id(images: InMemoryBrandImages) -> None:
    first, second = (start_upload(images, BUSINESS, "image/png").image_id for _ in range(2))
    assert first != second and is_id(first, "img") and is_id(second, "img")


def test_a_usable_brand_is_drawn_and_saved(
    profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    logo = upload(images, encoded(900, 300))

    brand = set_business_brand(
        profiles, images, renditions, BUSINESS, {"logoImageId": logo, **READABLE}, at="t"
    )

    assert profiles.profile(BUSINESS) is not None and profiles.profiles[BUSINESS].brand == brand
    assert set(images.drawn[logo]) == {"logo.png", "logo@2x.png", "logo@3x.png", "google-logo.png"}


def test_one_unusable_image_keeps_nothing_of_the_brand(
    profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    logo = upload(images, encoded(900, 300))
    strip = upload(images, SVG)

    with pytest.raises(ImageInvalid) as refused:
        set_business_brand(
            profiles,
            images,
            renditions,
            BUSINESS,
            {"logoImageId": logo, "stripImageId": strip, **READABLE},
            at="t",
        )

    assert [d.field for d in refused.value.details] == ["brand.stripImageId"]
    assert profiles.profile(BUSINESS) is None and images.drawn == {}


def test_an_image_of_another_business_is_not_found(
    profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    theirs = upload(images, encoded(900, 300), business_id="biz_someoneelse01")
    with pytest.raises(ImageInvalid) as refused:
        set_business_brand(profiles, images, renditions, BUSINESS, {"logoImageId": theirs}, at="t")
    assert refused.value.details[0].message == "is not an image this business uploaded"


def test_low_contrast_is_refused_before_any_image_is_read(
    profiles: InMemoryBusinessProfiles, images: InMemoryBrandImages
) -> None:
    logo = upload(images, encoded(900, 300))
    with pytest.raises(LowContrast):
        set_business_brand(
            profiles,
            images,
            renditions,
            BUSINESS,
            {"logoImageId": logo, "backgroundColor": "#FFFFFF"},
            at="t",
        )
    assert images.drawn == {}


def test_the_public_pass_wears_the_business_name_and_brand(profiles: InMemoryBusinessProfiles) -> None:
    offer = an_offer(BUSINESS)
    logo = "img_logo00000001"
    profiles.put_names(BUSINESS, "Bean There", "بين ذير", at="t")
    profiles.save_brand(BUSINESS, brand_from_fields({"logoImageId": logo, **READABLE}), at="t")

    pass_ = public_offer_view(
        {offer.offer_id: offer}.get, profiles, lambda i, n: f"https://web/{i}/{n}", offer.offer_id
    )

    assert (pass_.business.name, pass_.business.name_ar) == ("Bean There", "بين ذير")
    assert pass_.brand.background_color == "#FFF8E7"
    assert pass_.logo_url == f"https://web/{logo}/logo@2x.png"


def test_an_unknown_offer_has_no_pass(profiles: InMemoryBusinessProfiles) -> None:
    with pytest.raises(OfferNotFound):
        public_offer_view({}.get, profiles, lambda i, n: "", "off_unknown000000")
