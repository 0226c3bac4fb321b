"""The brand editor's preview is the real passes: a draft brand sent to the pass preview is drawn by the builders
of the real passes, checked as PATCH checks it, and nothing of it is saved until the brand is."""

from __future__ import annotations

import json

import pytest
import requests

from loyalty.adapters.google.objects import class_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_brand import brand_of, uploaded
from tests.e2e.test_wallet_ladder_refresh import eventually
from tests.support.counter import Counter, enroll
from tests.support.images import encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e

DRAFT = {"backgroundColor": "#7A1F3D", "foregroundColor": "#FFFFFF", "labelColor": "#FFD6E0"}


def preview(owner: Counter, offer_id: str, brand: object, language: str = "en") -> requests.Response:
    return owner.call(
        "POST", f"/api/offers/{offer_id}/pass-preview", json={"brand": brand, "language": language}
    )


def test_a_draft_brand_previews_as_the_pass_and_class_wear_it_once_saved(
    gateway: str, owner: Counter, local_stack: LocalStack, google: GoogleWalletStandin
) -> None:
    offer_id = owner.create_offer(stamps_required=5)
    assert owner.call("PATCH", "/api/business", json={"name": "Rose Roastery"}).status_code == 200
    logo = uploaded(owner, encoded(900, 300))
    strip = uploaded(owner, encoded(1125, 432), "strip")
    draft = {**DRAFT, "logoImageId": logo, "stripImageId": strip}
    before = brand_of(owner)

    shown = preview(owner, offer_id, draft)

    assert shown.status_code == 200, shown.text
    assert brand_of(owner) == before  # previewed, not saved
    assert owner.call("GET", f"/api/offers/{offer_id}").json()["brand"] is None
    apple, google_class = shown.json()["apple"], shown.json()["google"]
    assert apple["backgroundColor"] == "rgb(122, 31, 61)"
    assert apple["logoUrl"] == f"{gateway}/brand-images/{logo}/logo@2x.png"
    assert apple["stripUrl"] == f"{gateway}/brand-images/{strip}/strip@2x.png"
    assert requests.get(apple["logoUrl"], timeout=30).status_code == 200  # the preview's logo is served
    assert google_class["hexBackgroundColor"] == "#7A1F3D"
    arabic = preview(owner, offer_id, draft, "ar")
    assert arabic.status_code == 200 and arabic.json()["apple"]["backgroundColor"] == apple["backgroundColor"]

    assert owner.call("PATCH", "/api/business", json={"brand": draft}).status_code == 200
    joined = enroll(gateway, offer_id).json()
    real = json.loads(
        pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    for key in ("backgroundColor", "foregroundColor", "labelColor", "organizationName", "logoText"):
        assert apple[key] == real[key], key
    assert real["logoText"] == "Rose Roastery"
    eventually(
        local_stack,
        lambda: (
            (google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id)) or {}).get("hexBackgroundColor")
            == "#7A1F3D"
        ),
    )
    drawn = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id))
    assert drawn is not None
    assert google_class["issuerName"] == drawn["issuerName"] == "Rose Roastery"
    assert google_class["programLogoUrl"] == drawn["programLogo"]["sourceUri"]["uri"]
    assert google_class["heroImageUrl"] == drawn["heroImage"]["sourceUri"]["uri"]


def test_a_low_contrast_draft_is_refused_and_nothing_is_saved(owner: Counter) -> None:
    offer_id = owner.create_offer()
    before = brand_of(owner)

    shown = preview(owner, offer_id, {"backgroundColor": "#FFFFFF", "foregroundColor": "#EEEEEE"})

    assert shown.status_code == 422, shown.text
    error = shown.json()["error"]
    assert error["code"] == "LOW_CONTRAST"
    assert error["details"][0]["field"] == "brand.foregroundColor"
    assert "contrast" in error["details"][0]["message"]
    assert brand_of(owner) == before
    assert owner.call("GET", f"/api/offers/{offer_id}").json()["brand"] is None


def test_a_draft_naming_another_business_image_is_refused(gateway: str, token, owner: Counter) -> None:
    offer_id = owner.create_offer()
    stranger = Counter(gateway, token("owner", "biz_strangerpreview01"))
    theirs = uploaded(stranger, encoded(600, 200))

    shown = preview(owner, offer_id, {"logoImageId": theirs})

    assert shown.status_code == 422, shown.text
    assert shown.json()["error"]["code"] == "IMAGE_INVALID"
    assert shown.json()["error"]["details"][0]["field"] == "brand.logoImageId"
    assert brand_of(owner)["logoImageId"] is None


def test_a_draft_of_the_wrong_shape_is_a_validation_error(owner: Counter) -> None:
    offer_id = owner.create_offer()

    shown = preview(owner, offer_id, {"backgroundColor": "red"})

    assert shown.status_code == 422, shown.text
    assert shown.json()["error"]["code"] == "VALIDATION_ERROR"
