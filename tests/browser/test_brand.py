"""The business's brand in the dashboard (DASHBOARD.md 7 and 10): a logo and colours uploaded and previewed as
they are edited, saved, and then worn by the real Apple pass and Google class; the join poster and counter card
printed in both languages, the link copied."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from loyalty.adapters.google.objects import class_id
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.browser.conftest import ARTIFACTS, Api, in_both_languages, sign_in
from tests.support.images import encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.browser


def rgb(hex_color: str) -> str:
    red, green, blue = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.fixture
def named(owner_api: Api) -> Api:
    answer = requests.patch(
        f"{owner_api.base}/api/business",
        json={"name": "Crumbs Bakery", "nameAr": "مخبز كرمز"},
        headers=owner_api.headers,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return owner_api


def test_a_logo_and_colours_are_previewed_saved_and_worn_by_both_wallets(
    page: Page, business: str, named: Api, local_stack: Any, tmp_path: Path
) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(encoded(900, 300, color="#C0392B"))
    offer = named.offer()  # the Business page previews its first offer's pass
    sign_in(page, "owner", business)
    page.get_by_role("link", name="Business").click()
    expect(page.get_by_role("heading", name="Crumbs Bakery")).to_be_visible()
    apple_pass = page.locator(".pass.apple").first
    expect(apple_pass).to_be_visible(timeout=30_000)
    expect(apple_pass.locator(".pass-logo")).to_have_count(0)

    page.get_by_label("Upload logo").set_input_files(str(logo))
    expect(apple_pass.locator(".pass-logo")).to_be_visible(timeout=30_000)  # before any save
    page.get_by_label("Background color").fill("#fff8e7")
    page.get_by_label("Text color").fill("#f0e0c0")
    expect(page.get_by_text(re.compile(r"Hard to read: 1\.23:1"))).to_be_visible()  # beside "Text color"
    page.get_by_label("Text color").fill("#3b2314")
    page.get_by_label("Label color").fill("#6b4226")
    expect(page.get_by_text(re.compile("Hard to read"))).to_have_count(0)
    expect(apple_pass).to_have_css("background-color", rgb("#FFF8E7"))
    expect(apple_pass).to_have_css("color", rgb("#3B2314"))
    expect(page.locator(".pass.google").first).to_have_css("background-color", rgb("#FFF8E7"))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved")).to_be_visible()
    in_both_languages(
        page, "business-brand", lambda: expect(apple_pass.locator(".pass-logo")).to_be_visible()
    )

    joined = named.enroll(offer["offerId"])
    pkpass = requests.get(joined["wallet"]["appleWalletUrl"], timeout=30)
    files = pkpass_files(pkpass.content)
    document = json.loads(files["pass.json"])
    assert (document["organizationName"], document["logoText"]) == ("Crumbs Bakery", "Crumbs Bakery")
    assert document["backgroundColor"] == rgb("#FFF8E7") and document["foregroundColor"] == rgb("#3B2314")
    assert files["logo@2x.png"] != b"" and b"IHDR" in files["logo@2x.png"]
    google = next(a for a in local_stack.addons if isinstance(a, GoogleWalletStandin))
    stored = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer["offerId"]))
    assert stored is not None
    assert (stored["issuerName"], stored["hexBackgroundColor"]) == ("Crumbs Bakery", "#FFF8E7")
    logo_uri = stored["programLogo"]["sourceUri"]["uri"]
    assert logo_uri.endswith("/google-logo.png")
    assert requests.get(logo_uri, timeout=30).headers["Content-Type"] == "image/png"


def test_the_poster_and_counter_pass_print_the_offer_in_both_languages(
    page: Page, web: str, business: str, named: Api
) -> None:
    offer = named.offer()
    sign_in(page, "owner", business)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=web)
    page.goto(f"/offers/{offer['offerId']}")
    page.get_by_role("tab", name="Settings").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == f"{web}/join/{offer['offerId']}"

    page.get_by_role("button", name="Print poster").click()
    sheet = page.locator(".poster-a4")
    expect(sheet.get_by_role("heading", name="Bakery Card")).to_be_visible()
    expect(sheet.get_by_role("heading", name="بطاقة المخبز")).to_be_visible()
    expect(sheet.get_by_text("A free croissant")).to_be_visible()
    expect(sheet.get_by_text("كرواسون مجاني")).to_be_visible()
    expect(sheet.get_by_text("Scan to join")).to_be_visible()
    expect(sheet.get_by_text("امسح للانضمام")).to_be_visible()
    expect(sheet.get_by_text(f"/join/{offer['offerId']}")).to_be_visible()
    expect(sheet.get_by_role("img", name="Join QR of Bakery Card")).to_be_visible()
    in_both_languages(page, "poster-a4")
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "poster-a4-print.png"), full_page=True)
    page.emulate_media(media="screen")

    page.go_back()
    page.get_by_role("button", name="Print counter card").click()
    pass_ = page.locator(".poster-a6")
    expect(pass_.get_by_role("img", name="Join QR of Bakery Card")).to_be_visible()
    expect(pass_.get_by_text("Crumbs Bakery")).to_be_visible()
    in_both_languages(page, "counter-card-a6")
