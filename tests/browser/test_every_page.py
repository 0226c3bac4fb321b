"""Every page of the web apps, on a desktop and on a 375 px phone, in English and in Arabic: axe-core finds no
serious or critical violation and nothing scrolls sideways (in_both_languages). The journeys' own tests check what
each page does; this one makes sure none is left out at either width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Api, in_both_languages, new_context, sign_in

pytestmark = pytest.mark.browser


def settled(page: Page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1, h2").first).to_be_visible()
    expect(page.get_by_text("Loading…", exact=True)).to_have_count(0)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_every_page_at_both_widths_in_both_languages(
    phone: bool, browser: Browser, web: str, business: str, owner_api: Api
) -> None:
    width = "phone" if phone else "desktop"
    offer = owner_api.offer()
    offer_id = offer["offerId"]
    member = owner_api.enroll(offer_id, name="Layla Haddad")
    owner_api.stamp(member["customerId"], offer_id, 1)

    signed_out = new_context(browser, web, phone=phone)
    try:
        visitor = signed_out.new_page()
        for name, path in (
            ("signin", "/signin"),
            ("join", f"/join/{offer_id}"),
            ("recover", "/pass/recover"),
            ("preferences", "/pass/preferences"),
        ):
            settled(visitor, path)
            in_both_languages(visitor, f"every-{name}-{width}")
    finally:
        signed_out.close()

    owner_context = new_context(browser, web, phone=phone)
    try:
        owner = owner_context.new_page()
        sign_in(owner, "owner", business)
        for name, path in (
            ("offers", "/"),
            ("business", "/business"),
            ("branches", "/branches"),
            ("staff", "/staff"),
            ("tiers", f"/offers/{offer_id}/tiers"),
            ("settings", f"/offers/{offer_id}/settings"),
            ("customers", f"/offers/{offer_id}/customers"),
            ("stats", f"/offers/{offer_id}/stats"),
            ("member", f"/offers/{offer_id}/customers/{member['customerId']}"),
            ("poster", f"/offers/{offer_id}/poster"),
            ("counter-card", f"/offers/{offer_id}/counter-card"),
        ):
            settled(owner, path)
            in_both_languages(owner, f"every-{name}-{width}")
    finally:
        owner_context.close()

    manager_context = new_context(browser, web, phone=phone)
    try:
        manager = manager_context.new_page()
        sign_in(manager, "manager", business)
        settled(manager, "/scan")
        in_both_languages(manager, f"every-scan-{width}")
    finally:
        manager_context.close()
