"""Issue 14's "done when", as a newcomer does it: the demo owner signs in, creates an offer with three custom tiers
in both languages while watching the pass preview, a manager opens /scan on a 375 px phone and stamps a customer to a
prize and sees the upgrade, then the owner finds that customer's history on the dashboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import ARTIFACTS, SETTLE_MS, Api, in_both_languages, new_context, sign_in

pytestmark = pytest.mark.browser

LADDER = [
    ("Regular", "عادي", "1", "1", "☕"),
    ("Friend", "صديق", "2", "3", "🥐"),
    ("Family", "العائلة", "4", "", "🏠"),
]


def create_offer_with_tiers(owner: Page) -> str:
    owner.get_by_label("Offer name (English)").fill("Coffee Club")
    owner.get_by_label("Offer name (Arabic)").fill("نادي القهوة")
    owner.get_by_label("Stamps required").fill("2")
    owner.get_by_label("Reward (English)").fill("A free flat white")
    owner.get_by_label("Reward (Arabic)").fill("فلات وايت مجاني")
    owner.get_by_role("button", name="Create", exact=True).click()
    owner.get_by_role("listitem").filter(has_text="Coffee Club").get_by_role(
        "button", name="Edit offer"
    ).click()
    expect(owner.get_by_role("heading", name="Loyalty Tiers")).to_be_visible()
    offer_id = owner.url.rstrip("/").split("/")[-1]

    owner.get_by_label("Enable Custom Tiers").check()
    preview = owner.get_by_role("complementary", name="Pass preview")
    for index, (name, name_ar, low, high, icon) in enumerate(LADDER):
        row = owner.get_by_role("group", name=f"Tier {index + 1}")
        row.get_by_label("Tier Name (English)").fill(name)
        row.get_by_label("Tier Name (Arabic)").fill(name_ar)
        row.get_by_label("Minimum Rewards").fill(low)
        row.get_by_label("Maximum Rewards").fill(high)
        row.get_by_label("Tier Icon").fill(icon)
    # The preview follows the draft: a sample customer with three rewards is a Friend, in both languages.
    expect(preview).to_contain_text("Friend")
    expect(preview).to_contain_text("صديق")
    preview.get_by_label("Rewards claimed").fill("4")
    expect(preview).to_contain_text("Family")
    for label in ("Progress", "Completed", "Tier"):
        expect(preview.get_by_text(label, exact=True).first).to_be_visible()
    owner.get_by_role("button", name="Save").click()
    expect(owner.get_by_text("Saved.")).to_be_visible()
    in_both_languages(owner, "done-tiers-and-preview")
    return offer_id


def stamp_to_a_prize(manager: Page, qr_payload: str) -> None:
    manager.goto("/scan")
    manager.get_by_role("button", name="Enter code").click()
    manager.get_by_label("Enter code").fill(qr_payload)
    manager.get_by_role("button", name="Open").click()
    expect(manager.get_by_role("heading", name="Sam")).to_be_visible()
    expect(manager.get_by_text("0 of 2")).to_be_visible()
    manager.get_by_role("button", name="Add stamp").click()
    expect(manager.get_by_text("1 of 2")).to_be_visible()
    manager.get_by_role("button", name="Add stamp").click()
    expect(manager.get_by_text("2 of 2")).to_be_visible()
    manager.get_by_role("button", name="Confirm prize").click()
    expect(manager.get_by_text("Upgraded to ☕ Regular")).to_be_visible()
    in_both_languages(
        manager, "done-scanner-upgrade", lambda: expect(manager.locator(".celebration")).to_be_visible()
    )


def test_done_when(browser: Browser, web: str, business: str, owner_api: Api) -> None:
    owner = new_context(browser, web).new_page()
    owner.goto("/")
    owner.get_by_role("link", name="Sign in").click()
    sign_in(owner, "owner", business)
    offer_id = create_offer_with_tiers(owner)

    customer = owner_api.enroll(offer_id, name="Sam")
    manager_context = new_context(browser, web, phone=True)
    manager = manager_context.new_page()
    sign_in(manager, "manager", business)
    stamp_to_a_prize(manager, customer["qrPayload"])
    manager_context.close()

    owner.goto(f"/offers/{offer_id}")
    owner.get_by_role("tab", name="Customers").click()
    owner.get_by_role("link", name="Sam").click()
    # The page reads the history again while its newest event lags behind the pass (the table stream writes it).
    history = owner.get_by_role("region", name="History")
    expect(history.locator("tbody tr")).to_have_count(4, timeout=SETTLE_MS)
    for kind in ("Prize", "Stamp", "Joined"):
        expect(history.get_by_text(kind, exact=True).first).to_be_visible()
    expect(owner.get_by_text("☕ Regular")).to_be_visible()
    in_both_languages(owner, "done-history")
    owner.screenshot(path=str(ARTIFACTS / "done-when.png"), full_page=True)
