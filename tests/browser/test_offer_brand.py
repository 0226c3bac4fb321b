"""An offer's own brand in the dashboard (offer settings, "Brand of this offer"): it starts from the business's,
previews each edit before it is saved, is worn once saved by the offer's real pass, Google class and join page, and
"Use the business's brand" gives the business's back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from loyalty.adapters.google.objects import class_id
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.browser.conftest import Api, in_both_languages, sign_in
from tests.browser.test_brand import rgb
from tests.support.images import encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.browser

HOUSE = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


def test_an_offer_gets_its_own_brand_and_gives_it_back(
    page: Page, business: str, owner_api: Api, local_stack: Any, tmp_path: Path
) -> None:
    answer = requests.patch(
        f"{owner_api.base}/api/business",
        json={"name": "Crumbs Bakery", "nameAr": "مخبز كرمز", "brand": HOUSE},
        headers=owner_api.headers,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    offer = owner_api.offer()
    logo = tmp_path / "summer.png"
    logo.write_bytes(encoded(900, 300, color="#2E86C1"))
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/settings")
    section = page.get_by_role("region", name="Brand of this offer")
    expect(section.get_by_text("This offer wears the business's brand.")).to_be_visible(timeout=30_000)
    pass_ = section.locator(".pass.apple").first
    expect(pass_).to_have_css(
        "background-color", rgb(HOUSE["backgroundColor"])
    )  # the business's, to start from
    expect(section.get_by_role("button", name="Use the business's brand")).to_have_count(0)

    section.get_by_label("Upload logo").set_input_files(str(logo))
    expect(pass_.locator(".pass-logo")).to_be_visible(timeout=30_000)  # before any save
    section.get_by_label("Background color").fill("#0b3d2e")
    section.get_by_label("Text color").fill("#ffffff")
    section.get_by_label("Label color").fill("#b7e4c7")
    expect(pass_).to_have_css("background-color", rgb("#0B3D2E"))
    section.get_by_role("button", name="Save brand").click()
    # The first save draws every size of the logo in a function starting cold.
    expect(section.get_by_text("Saved.")).to_be_visible(timeout=60_000)
    expect(section.get_by_role("button", name="Use the business's brand")).to_be_visible()
    in_both_languages(
        page,
        "offer-brand",
        lambda: expect(page.locator(".pass.apple .pass-logo").first).to_be_visible(),
    )

    saved = owner_api.get(f"/api/offers/{offer['offerId']}")
    assert saved["brand"]["backgroundColor"] == "#0B3D2E" and saved["brand"]["logoUrl"]
    joined = owner_api.enroll(offer["offerId"])
    files = pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)
    document = json.loads(files["pass.json"])
    assert (document["organizationName"], document["backgroundColor"]) == ("Crumbs Bakery", rgb("#0B3D2E"))
    google = next(a for a in local_stack.addons if isinstance(a, GoogleWalletStandin))
    stored = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer["offerId"]))
    assert stored is not None and stored["hexBackgroundColor"] == "#0B3D2E"

    page.goto(f"/join/{offer['offerId']}")
    banner = page.locator(".brand-banner")
    expect(banner).to_have_css("background-color", rgb("#0B3D2E"))
    expect(banner.get_by_role("img", name="Crumbs Bakery")).to_be_visible()

    page.goto(f"/offers/{offer['offerId']}/settings")
    section = page.get_by_role("region", name="Brand of this offer")
    section.get_by_role("button", name="Use the business's brand").click()
    expect(section.get_by_text("This offer wears the business's brand.")).to_be_visible(timeout=30_000)
    expect(section.locator(".pass.apple").first).to_have_css(
        "background-color", rgb(HOUSE["backgroundColor"])
    )
    assert owner_api.get(f"/api/offers/{offer['offerId']}")["brand"] is None
