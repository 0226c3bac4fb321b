"""The owner's pages on a 375 px phone, in English and Arabic: tables become cards (no cell a character wide),
nothing slips off the screen, every tab in sight, and axe-core finds no serious or critical violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SETTLE_MS, Api, in_both_languages, shown_after_reloads, sign_in
from tests.support.eventually import eventually

pytestmark = pytest.mark.browser


def test_members_member_and_stats_pages_on_a_phone(phone: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=2)
    customer = owner_api.enroll(offer["offerId"], name="Layla Haddad")
    owner_api.enroll(offer["offerId"], name="Omar Lane")
    owner_api.stamp(customer["customerId"], offer["offerId"], 2)
    owner_api.post(f"/api/branch-manager/confirm-prize/{customer['customerId']}/{offer['offerId']}")
    sign_in(phone, "owner", business)

    phone.goto(f"/offers/{offer['offerId']}/customers")
    rows = phone.locator("table.cards tbody tr")
    expect(rows).to_have_count(2, timeout=SETTLE_MS)
    # A row is a card: its cells stack, each wide enough for an email or a date on one line.
    email_cell = rows.first.locator("td").nth(0)
    box = email_cell.bounding_box()
    assert box is not None and box["width"] > 250, box
    # The status badge stays whole.
    badge = rows.first.locator(".badge")
    badge_box = badge.bounding_box()
    assert badge_box is not None and badge_box["height"] < 40, badge_box
    # Every tab in sight, none clipped.
    for tab in phone.get_by_role("tab").all():
        tab_box = tab.bounding_box()
        assert tab_box is not None and tab_box["x"] >= 0 and tab_box["x"] + tab_box["width"] <= 375, tab_box
    in_both_languages(phone, "customers-phone")

    phone.get_by_role("link", name="Layla Haddad").click()
    expect(phone.get_by_role("heading", name="Layla Haddad")).to_be_visible()
    history = phone.get_by_role("table", name="The pass's events").locator("tbody tr")
    expect(history).to_have_count(4, timeout=SETTLE_MS)
    # The tier reached by the prize earned a credential, listed with where it stands.
    credentials = phone.get_by_role("table", name="Credentials").locator("tbody tr")
    shown_after_reloads(
        phone, lambda: expect(credentials.first).to_contain_text("Issued", timeout=2_000), timeout=60
    )
    expect(credentials).to_have_count(1)
    expect(credentials.first).to_contain_text("Bronze Member")
    in_both_languages(phone, "member-phone")

    phone.goto(f"/offers/{offer['offerId']}/stats")
    table = phone.get_by_role("table", name="Stamps and prizes per day")
    shown_after_reloads(
        phone, lambda: expect(table.locator("tbody tr").last).to_contain_text("2", timeout=2_000)
    )
    in_both_languages(phone, "stats-phone")


def test_the_members_list_finds_by_a_name_start_and_sorts_by_last_visit(
    page: Page, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer(stamps=3)
    layla = owner_api.enroll(offer["offerId"], name="Layla Haddad")
    owner_api.enroll(offer["offerId"], name="Omar Lane")
    owner_api.stamp(layla["customerId"], offer["offerId"], 1)  # Layla visited last, Omar joined last
    eventually(
        lambda: owner_api.get(f"/api/offers/{offer['offerId']}/customers?sort=lastActivity")["items"],
        lambda items: [m["name"] for m in items] == ["Layla Haddad", "Omar Lane"],
    )
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/customers")
    names = page.locator("table.cards tbody tr td:first-child")
    expect(names).to_have_text(["Omar Lane", "Layla Haddad"], timeout=SETTLE_MS)
    page.get_by_label("Sort by").select_option("lastActivity")
    expect(names).to_have_text(["Layla Haddad", "Omar Lane"])
    page.get_by_label("Search", exact=True).fill("had")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(names).to_have_text(["Layla Haddad"])
    in_both_languages(page, "customers-search")


def test_the_offers_tiers_and_settings_pages_on_a_phone(phone: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=3)
    sign_in(phone, "owner", business)
    expect(phone.get_by_role("list", name="Offers").get_by_role("listitem")).to_have_count(
        1, timeout=SETTLE_MS
    )
    in_both_languages(phone, "offers-phone")
    phone.goto(f"/offers/{offer['offerId']}")
    expect(phone.get_by_role("heading", name="Loyalty Tiers")).to_be_visible()
    in_both_languages(phone, "tiers-phone")
    phone.goto(f"/offers/{offer['offerId']}/settings")
    expect(phone.get_by_role("button", name="Archive offer")).to_be_visible()
    in_both_languages(phone, "settings-phone")
