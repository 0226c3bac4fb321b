"""The owner's view of an offer's members and numbers: "Customers" (search, filters, pages), a member's page
(progress, tier, history, "Void stamp", "Erase customer"), and the stats chart with its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SETTLE_MS, Api, in_both_languages, shown_after_reloads, sign_in

pytestmark = pytest.mark.browser


def test_customers_search_filter_and_pages(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer()
    members = [owner_api.enroll(offer["offerId"], name=f"Member {n}") for n in range(22)]
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}")
    page.get_by_role("tab", name="Customers").click()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(20)
    page.get_by_role("button", name="Next page").click()
    expect(rows).to_have_count(2)

    email = owner_api.get(f"/api/offers/{offer['offerId']}/customers?q={members[0]['customerId']}")["items"][
        0
    ]["email"]
    page.get_by_label("Search", exact=True).fill(email)
    page.get_by_role("button", name="Search").click()
    expect(rows).to_have_count(1)
    page.get_by_label("Status").select_option("EXPIRED")
    expect(page.get_by_text("No members match.")).to_be_visible()
    in_both_languages(page, "customers")


def test_a_member_page_voids_a_stamp_and_erases_the_customer(
    page: Page, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer(stamps=4)
    customer = owner_api.enroll(offer["offerId"], name="Omar")
    owner_api.stamp(customer["customerId"], offer["offerId"], 2)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/customers")
    page.get_by_role("link", name="Omar").click()
    expect(page.get_by_role("heading", name="Omar")).to_be_visible()
    expect(page.get_by_text("2 of 4")).to_be_visible()
    # The page reads the history again while its newest event lags behind the pass (the table stream writes it).
    history = page.get_by_role("region", name="History").locator("tbody tr")
    expect(history).to_have_count(3, timeout=SETTLE_MS)

    page.get_by_role("button", name="Void stamp").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Yes, void it").click()
    expect(page.get_by_text("1 of 4")).to_be_visible()
    expect(history).to_have_count(4, timeout=SETTLE_MS)
    expect(history.first).to_contain_text("Stamp voided")
    expect(page.get_by_text("Updating the history…")).to_have_count(0)
    in_both_languages(page, "member")

    page.get_by_role("button", name="Erase customer").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Yes, erase").click()
    expect(page.get_by_text("The customer's personal data was erased.")).to_be_visible()


def test_stats_chart_and_its_table(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=2)
    customer = owner_api.enroll(offer["offerId"])
    owner_api.stamp(customer["customerId"], offer["offerId"], 2)
    owner_api.post(f"/api/branch-manager/confirm-prize/{customer['customerId']}/{offer['offerId']}")
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/stats")
    expect(page.get_by_role("img", name="Stamps and prizes per day")).to_be_visible()
    table = page.get_by_role("table", name="Stamps and prizes per day")
    expect(table.locator("tbody tr")).to_have_count(14)
    # The page reads the counters once; the table stream counts a change a moment after it answered.
    shown_after_reloads(
        page, lambda: expect(table.locator("tbody tr").last).to_contain_text("2", timeout=2_000)
    )
    expect(page.get_by_role("table", name="Members by tier")).to_contain_text("Bronze Member")
    expect(page.get_by_role("table", name="By branch")).to_be_visible()
    in_both_languages(page, "stats")
