"""The offer's Campaigns tab: an owner writes a bilingual message, sees the audience's size and a preview on both
wallets, sends it, and sees its counts arrive; in English and Arabic, on a desktop and on a 375 px phone."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, in_both_languages, shown_after_reloads, sign_in

pytestmark = pytest.mark.browser

ENGLISH = "Double stamps this weekend"
ARABIC = "طوابع مضاعفة هذا الأسبوع"


def members(owner_api: Api, offer_id: str, consenting: int, other: int) -> None:
    for n in range(consenting + other):
        owner_api.post(
            f"/api/offers/{offer_id}/enroll",
            {
                "email": f"{uuid.uuid4().hex[:10]}@example.com",
                "name": f"Member {n}",
                "marketingConsent": n < consenting,
            },
            expected=201,
        )


def send_campaign(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer()
    members(owner_api, offer["offerId"], consenting=2, other=1)
    owner_api.post("/api/branches", {"name": "Harbour", "nameAr": "الميناء"}, expected=201)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}")
    page.get_by_role("tab", name="Campaigns").click()
    expect(page.get_by_role("heading", name="New campaign")).to_be_visible()
    expect(page.get_by_text("3 active members in this audience")).to_be_visible()
    page.get_by_label("Message (English)").fill(ENGLISH)
    page.get_by_label("Message (Arabic)").fill(ARABIC)
    expect(page.get_by_label("Audience")).to_have_value("ALL")
    # A branch's regulars are an audience too: none of the three got their stamps at the new branch.
    page.get_by_label("Audience").select_option(label="Regulars of Harbour")
    expect(page.get_by_text("0 active members in this audience")).to_be_visible()
    page.get_by_label("Audience").select_option(value="ALL")
    expect(page.get_by_text("3 active members in this audience")).to_be_visible()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.get_by_text(ENGLISH)).to_have_count(2)  # Apple and Google
    expect(preview.get_by_text(ARABIC)).to_have_count(2)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your campaign is on its way.")).to_be_visible()
    row = page.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell", name=ENGLISH)).to_be_visible()

    def delivered() -> None:
        cells = page.locator("tbody tr").first.locator("td")
        expect(cells.nth(2)).to_have_text("Sent")
        expect(cells.nth(3)).to_have_text("2")  # sent: the two who said yes
        expect(cells.nth(4)).to_have_text("2")  # delivered

    shown_after_reloads(page, delivered)
    in_both_languages(page, "campaigns", lambda: expect(page.locator("tbody tr")).to_have_count(1))


def test_an_owner_sends_a_bilingual_campaign_and_sees_its_counts(
    page: Page, business: str, owner_api: Api
) -> None:
    send_campaign(page, business, owner_api)


def test_the_campaigns_tab_on_a_phone(phone: Page, business: str, owner_api: Api) -> None:
    send_campaign(phone, business, owner_api)
