"""The brand editor's preview is drawn from the pass preview, by the builders of the real passes: a colour or a logo
changed on the Business page shows on the preview cards before anything is saved (English and Arabic, phone and
desktop), a refused draft greys them saying why, and what the cards showed is what the saved pass then wears."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Api, in_both_languages, sign_in
from tests.support.images import encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.browser

SLOW = 30_000  # the first preview with a new logo draws its sizes in a function starting cold


def rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def background(pass_: Locator) -> str:
    value: str = pass_.evaluate("(element) => getComputedStyle(element).backgroundColor")
    return value


def preview_cards(page: Page, lang: str, kind: str) -> Locator:
    panel = page.get_by_role("complementary", name="Pass preview")
    return panel.locator(f'.preview-pair[lang="{lang}"] .pass.{kind}')


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_colour_and_a_logo_show_on_the_preview_before_saving(
    request: pytest.FixtureRequest, width: str, business: str, owner_api: Api, tmp_path: Path
) -> None:
    page: Page = request.getfixturevalue("page" if width == "desktop" else "phone")
    offer = owner_api.offer()
    logo = tmp_path / "logo.png"
    logo.write_bytes(encoded(900, 300, color="#1E8449"))
    sign_in(page, "owner", business)
    page.goto("/business")
    apple = preview_cards(page, "en", "apple")
    expect(apple).to_be_visible(timeout=SLOW)
    before = background(apple)
    assert before != rgb("#7A1F3D")

    page.get_by_label("Text color").fill("#ffffff")
    page.get_by_label("Label color").fill("#ffd6e0")
    page.get_by_label("Background color").fill("#7a1f3d")

    for lang in ("en", "ar"):
        expect(preview_cards(page, lang, "apple")).to_have_css("background-color", rgb("#7A1F3D"))
        expect(preview_cards(page, lang, "google")).to_have_css("background-color", rgb("#7A1F3D"))
    assert background(apple) == rgb("#7A1F3D")  # read from the card as drawn
    assert owner_api.get("/api/business")["brand"]["backgroundColor"] != "#7A1F3D"  # nothing saved yet

    page.get_by_label("Upload logo").set_input_files(str(logo))
    shown_logo = apple.locator(".pass-logo")
    expect(shown_logo).to_be_visible(timeout=SLOW)
    expect(shown_logo).to_have_attribute("src", re.compile(r"/brand-images/img_\w+/logo@2x\.png$"))
    assert shown_logo.evaluate("(image) => image.complete && image.naturalWidth") == 300  # logo@2x, drawn
    assert owner_api.get("/api/business")["brand"]["logoImageId"] is None

    in_both_languages(
        page,
        f"brand-draft-preview-{width}",
        lambda: expect(page.locator(".preview-pair .pass.apple .pass-logo").first).to_be_visible(),
    )

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved")).to_be_visible(timeout=SLOW)
    joined = owner_api.enroll(offer["offerId"])
    real = json.loads(
        pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    assert real["backgroundColor"] == background(apple) == rgb("#7A1F3D")


def test_a_low_contrast_draft_greys_the_preview_saying_why(page: Page, business: str, owner_api: Api) -> None:
    owner_api.offer()
    sign_in(page, "owner", business)
    page.goto("/business")
    expect(preview_cards(page, "en", "apple")).to_be_visible(timeout=SLOW)
    page.get_by_label("Background color").fill("#ffffff")
    page.get_by_label("Text color").fill("#eeeeee")

    expect(page.get_by_role("status").filter(has_text="This brand cannot be saved")).to_be_visible()
    expect(page.locator(".preview-pair.stale")).to_have_count(2)
    in_both_languages(page, "brand-draft-refused")

    page.get_by_label("Text color").fill("#222222")
    page.get_by_label("Label color").fill("#444444")
    expect(page.locator(".preview-pair.stale")).to_have_count(0)
    expect(preview_cards(page, "en", "apple")).to_have_css("background-color", rgb("#FFFFFF"))


def test_without_an_offer_the_business_page_says_to_create_one(
    page: Page, business: str, owner_api: Any
) -> None:
    sign_in(page, "owner", business)
    page.goto("/business")

    expect(page.get_by_text("Create an offer to see the preview")).to_be_visible(timeout=SLOW)
    expect(page.locator(".pass.apple")).to_have_count(0)
