"""The owner's offers: the list with status, "Create offer" (one offer per submission, however many clicks), and
"Edit offer" → "Loyalty Tiers" with the API's refusals shown next to the fields they name."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS, Api, in_both_languages, sign_in

pytestmark = pytest.mark.browser


def test_create_offer_with_a_double_click_makes_one_offer(page: Page, business: str, owner_api: Api) -> None:
    sign_in(page, "owner", business)
    page.get_by_label("Offer name (English)").fill("Tea Card")
    page.get_by_label("Offer name (Arabic)").fill("بطاقة الشاي")
    page.get_by_label("Stamps required").fill("6")
    page.get_by_label("Reward (English)").fill("A pot of tea")
    page.get_by_label("Reward (Arabic)").fill("إبريق شاي")
    page.get_by_role("button", name="Create", exact=True).dblclick()

    offers = page.get_by_role("list", name="Offers").get_by_role("listitem")
    expect(offers).to_have_count(1)
    expect(offers.first).to_contain_text("Tea Card")
    expect(offers.first).to_contain_text("Active")
    expect(page.get_by_label("Offer name (English)")).to_have_value("")
    assert [o["name"] for o in owner_api.get("/api/offers")["items"]] == ["Tea Card"]

    page.reload()
    expect(offers).to_have_count(1)
    in_both_languages(page, "offers", lambda: expect(page.locator(".offer-list > li")).to_have_count(1))


def test_custom_tiers_are_saved_from_the_editor(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer()
    sign_in(page, "owner", business)
    page.get_by_role("button", name="Edit offer").click()
    expect(page.get_by_role("heading", name="Loyalty Tiers")).to_be_visible()
    page.get_by_label("Enable Custom Tiers").check()
    ladder = [
        ("Regular", "عادي", "1", "2", "☕", "#8a6d3b"),
        ("Friend", "صديق", "3", "4", "🥐", "#4a7a3d"),
        ("Family", "العائلة", "5", "", "🏠", "#0b5cad"),
    ]
    for index, (name, name_ar, low, high, icon, color) in enumerate(ladder):
        row = page.get_by_role("group", name=f"Tier {index + 1}")
        row.get_by_label("Tier Name (English)").fill(name)
        row.get_by_label("Tier Name (Arabic)").fill(name_ar)
        row.get_by_label("Minimum Rewards").fill(low)
        row.get_by_label("Maximum Rewards").fill(high)
        row.get_by_label("Tier Icon").fill(icon)
        row.get_by_label("Tier Color").fill(color)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    saved = owner_api.get(f"/api/offers/{offer['offerId']}/loyalty-tiers")
    assert saved["source"] == "custom"
    assert [(t["name"], t["nameAr"], t["minRewards"], t["maxRewards"]) for t in saved["tiers"]] == [
        ("Regular", "عادي", 1, 2),
        ("Friend", "صديق", 3, 4),
        ("Family", "العائلة", 5, None),
    ]
    # The renamed default tiers take ids from their names, not "bronze", "silver", "gold".
    assert [t["id"] for t in saved["tiers"]] == ["regular", "friend", "family"]
    # Once saved an id stays, whatever the tier is renamed to.
    first = page.get_by_role("group", name="Tier 1")
    first.get_by_label("Tier Name (English)").fill("Regulars")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    again = owner_api.get(f"/api/offers/{offer['offerId']}/loyalty-tiers")["tiers"]
    assert (again[0]["id"], again[0]["name"]) == ("regular", "Regulars")
    page.reload()
    expect(page.get_by_role("group", name="Tier 3").get_by_label("Tier Name (English)")).to_have_value(
        "Family"
    )
    in_both_languages(page, "tiers-saved")


def test_a_refused_ladder_shows_each_message_at_its_field_and_saves_nothing(
    page: Page, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer()
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}")
    page.get_by_label("Enable Custom Tiers").check()
    expect(page.locator(".preview-pair:not(.stale)").first).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Add tier").click()
    expect(page.get_by_role("group", name="Tier 4")).to_be_visible()
    silver = page.get_by_role("group", name="Tier 2")
    silver.get_by_label("Minimum Rewards").fill("2")  # overlaps Bronze's 1–2
    page.get_by_role("group", name="Tier 4").get_by_label("Tier Name (English)").fill("Platinum")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Not saved: fix the fields marked below.")).to_be_visible()
    field = silver.get_by_label("Minimum Rewards")
    expect(field).to_have_attribute("aria-invalid", "true")
    # The refusal names the tier as the owner sees it, not by an id.
    expect(field).to_have_accessible_description("overlaps tier “Bronze Member” (1–2)")
    # The preview no longer passes for the draft's: greyed, with the reason.
    expect(page.locator(".preview-pair.stale").first).to_be_visible()
    expect(page.get_by_text("the greyed cards show the last valid ladder", exact=False)).to_be_visible()
    expect(page.get_by_role("group", name="Tier 4").get_by_role("alert").first).to_be_visible()
    assert owner_api.get(f"/api/offers/{offer['offerId']}/loyalty-tiers")["source"] == "default"
    # In Arabic the API's message is said in Arabic, the tier's name and numbers as the reader writes them.
    page.get_by_role("button", name="العربية", exact=True).click()
    expect(page.get_by_text("يتداخل مع المستوى", exact=False).first).to_be_visible()
    assert "overlaps" not in page.locator("main").inner_text()
    page.get_by_role("button", name="English", exact=True).click()

    page.get_by_role("group", name="Tier 4").get_by_role("button", name="Remove tier").click()
    expect(page.get_by_role("group", name="Tier 4")).to_have_count(0)
    in_both_languages(page, "tiers-refused")


def test_offer_settings_archive_and_restore(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer()
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/settings")
    expect(page.get_by_label("Stamps required")).to_have_accessible_description(
        "A change applies from each card's next cycle; cards in progress keep their goal."
    )
    page.get_by_label("Minutes between stamps").fill("30")
    page.get_by_label("Timezone").fill("Asia/Riyadh")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    saved = owner_api.get(f"/api/offers/{offer['offerId']}")
    assert (saved["minMinutesBetweenStamps"], saved["timezone"]) == (30, "Asia/Riyadh")

    page.get_by_role("button", name="Archive offer").click()
    expect(page.get_by_role("button", name="Restore offer")).to_be_visible()
    assert owner_api.get(f"/api/offers/{offer['offerId']}")["status"] == "ARCHIVED"
    page.get_by_role("button", name="Restore offer").click()
    expect(page.get_by_role("button", name="Archive offer")).to_be_visible()
    in_both_languages(page, "settings")


def test_the_join_qr_is_printable_and_leads_to_the_join_page(
    page: Page, web: str, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer()
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}")
    page.get_by_role("tab", name="Settings").click()
    qr = page.get_by_role("img", name="Join QR of Bakery Card")
    expect(qr).to_be_visible()
    href = page.locator(".join-qr a").get_attribute("href") or ""
    assert (
        href == f"{web}/join/{offer['offerId']}"
    )  # the offer's texts come from its public card, not the link
    page.emulate_media(media="print")
    page.screenshot(path=str(ARTIFACTS / "join-qr-print.png"))
    page.emulate_media(media="screen")
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()

    page.goto(href)
    expect(page.get_by_role("heading", name="Join Bakery Card")).to_be_visible()
    expect(page.get_by_text("A free croissant")).to_be_visible()
