"""Marketing consent in the customer's pages: unticked on the join form, and changed from the link on the pass's
back (its own page), in English and Arabic, on a phone."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, in_both_languages
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.browser


def member(owner_api: Api, offer_id: str, customer_id: str) -> dict[str, Any]:
    (item,) = owner_api.get(f"/api/offers/{offer_id}/customers?q={customer_id}")["items"]
    return dict(item)


def test_the_join_form_asks_unticked_and_keeps_a_yes(phone: Page, owner_api: Api) -> None:
    offer = owner_api.offer()
    phone.goto(f"/join/{offer['offerId']}")
    consent = phone.get_by_label("Send me offers and news on my card")
    expect(consent).not_to_be_checked()
    phone.get_by_label("Email").fill(f"{uuid.uuid4().hex[:8]}@example.com")
    phone.get_by_label("Name").fill("Layla")
    consent.check()
    with phone.expect_response("**/enroll") as joined:
        phone.get_by_role("button", name="Join").click()
    customer_id = joined.value.json()["customerId"]
    expect(phone.get_by_role("button", name="Add to Apple Wallet")).to_be_visible()
    assert member(owner_api, offer["offerId"], customer_id)["marketingConsent"] is True


def test_the_pass_back_link_opens_a_page_that_changes_the_answer(phone: Page, owner_api: Api) -> None:
    offer = owner_api.offer()
    joined = owner_api.enroll(offer["offerId"], name="Layla")
    document = json.loads(
        pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )
    (field,) = [f for f in document["storeCard"]["backFields"] if f["key"] == "preferences"]
    link = next(word for word in field["value"].split() if "/pass/preferences?" in word)

    phone.goto(link)
    consent = phone.get_by_label("Send me offers and news on my card")
    expect(consent).not_to_be_checked()
    in_both_languages(
        phone, "preferences", lambda: expect(phone.locator("input[type=checkbox]")).to_be_visible()
    )
    consent.check()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_text("Saved.")).to_be_visible()
    assert member(owner_api, offer["offerId"], joined["customerId"])["marketingConsent"] is True


def test_a_forged_preferences_link_says_it_is_not_valid(phone: Page, owner_api: Api) -> None:
    offer = owner_api.offer()
    joined = owner_api.enroll(offer["offerId"])
    phone.goto(
        f"/pass/preferences?customerId={joined['customerId']}&offerId={offer['offerId']}&token={'A' * 32}"
    )
    expect(phone.get_by_text("This link is not valid.")).to_be_visible()
    expect(phone.get_by_role("button", name="Save")).to_have_count(0)
