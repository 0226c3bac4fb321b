"""PATCH /api/business's use case: the brand under its rules, then the names, the business read once, and the passes
redrawn once both are saved, only when what they wear (the names, the brand) changed."""

from __future__ import annotations

import pytest

from loyalty.adapters.images.renditions import renditions
from loyalty.app.brand.brand_images import start_upload
from loyalty.app.brand.business_edit import edit_business
from loyalty.app.staff import accounts as staff
from loyalty.app.staff.commands import UNSET, BusinessChanges, CreateBusiness
from loyalty.domain.brand import ImageInvalid
from loyalty.domain.business import Business
from tests.support.fakes import InMemoryBrandImages, InMemoryBusinessProfiles
from tests.support.images import SVG, encoded
from tests.support.staff_fakes import InMemoryBusinessRecords, InMemoryDirectory

READABLE = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


class CountingRecords(InMemoryBusinessRecords):
    """The business records, counting the business's reads and writes."""

    reads: int = 0
    saves: int = 0

    def business(self, business_id: str) -> Business | None:
        self.reads += 1
        return super().business(business_id)

    def save_business(self, business: Business) -> None:
        self.saves += 1
        super().save_business(business)


class Scene:
    def __init__(self) -> None:
        self.records = CountingRecords()
        self.profiles = InMemoryBusinessProfiles()
        self.images = InMemoryBrandImages()
        self.redrawn: list[str] = []
        directory = InMemoryDirectory()
        user = directory.sign_up("owner@example.com")
        command = CreateBusiness(user, "owner@example.com", None, "Bean There")
        self.business_id = staff.create_business(self.records, directory, lambda: "t0", command).business_id
        self.records.reads = self.records.saves = 0

    def edit(self, changes: BusinessChanges) -> Business:
        return edit_business(
            self.records,
            self.profiles,
            self.images,
            renditions,
            self.business_id,
            changes,
            at="t1",
            redraw=self.redrawn.append,
        )

    def upload(self, data: bytes) -> str:
        ticket = start_upload(self.images, self.business_id, "image/png")
        self.images.uploads[(self.business_id, ticket.image_id)] = data
        return ticket.image_id


@pytest.fixture
def scene() -> Scene:
    return Scene()


def test_a_new_brand_and_name_are_both_saved_then_the_passes_redrawn_once(scene: Scene) -> None:
    logo = scene.upload(encoded(900, 300))

    edited = scene.edit(BusinessChanges(name="Bean Here", brand={"logoImageId": logo, **READABLE}))

    assert edited.name == "Bean Here" and edited.brand.logo_image_id == logo
    assert scene.profiles.profiles[scene.business_id].brand == edited.brand
    assert scene.records.businesses[scene.business_id].name == "Bean Here"
    assert scene.redrawn == [scene.business_id]
    assert scene.records.reads == 1, "the business is read once"


def test_a_new_name_alone_redraws_the_passes(scene: Scene) -> None:
    scene.edit(BusinessChanges(name_ar="كنا هنا"))
    assert scene.records.businesses[scene.business_id].name_ar == "كنا هنا"
    assert scene.redrawn == [scene.business_id]


def test_a_timezone_is_saved_without_redrawing_what_the_passes_do_not_show(scene: Scene) -> None:
    edited = scene.edit(BusinessChanges(timezone="Asia/Riyadh", name_ar=UNSET))
    assert scene.records.businesses[scene.business_id] == edited
    assert edited.timezone == "Asia/Riyadh" and scene.redrawn == []


def test_the_same_names_and_brand_again_write_and_redraw_nothing(scene: Scene) -> None:
    # The brand and the names live on one item in the table: the records see the brand just saved.
    scene.records.businesses[scene.business_id] = scene.edit(BusinessChanges(brand=READABLE))
    scene.redrawn.clear()
    scene.records.saves = 0

    scene.edit(BusinessChanges(name="Bean There", brand=READABLE))

    assert scene.redrawn == [] and scene.records.saves == 0


def test_a_refused_brand_leaves_the_names_as_they_were_and_redraws_nothing(scene: Scene) -> None:
    strip = scene.upload(SVG)

    with pytest.raises(ImageInvalid):
        scene.edit(BusinessChanges(name="Renamed", brand={"stripImageId": strip, **READABLE}))

    assert scene.records.businesses[scene.business_id].name == "Bean There"
    assert scene.redrawn == [] and scene.records.saves == 0
