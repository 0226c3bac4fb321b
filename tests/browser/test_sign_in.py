"""Sign-in on the local stack: its own page (the local user pool issues the token), and "Sign out" everywhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import in_both_languages, sign_in

pytestmark = pytest.mark.browser


def test_the_owner_signs_in_on_the_local_page_and_signs_out(page: Page, business: str) -> None:
    page.goto("/")
    expect(page.get_by_text("Please sign in.")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_label("Business")).to_have_value("biz_democoffee01")
    in_both_languages(page, "signin")

    sign_in(page, "owner", business)
    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", name="Offers")).to_be_visible()
    expect(page.get_by_text("No offers yet.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto("/")
    expect(page.get_by_text("Please sign in.")).to_be_visible()


def test_a_manager_lands_on_the_scanner_and_is_kept_off_the_dashboard(phone: Page, business: str) -> None:
    sign_in(phone, "manager", business)
    expect(phone).to_have_url("/scan")
    expect(phone.get_by_role("button", name="Scan", exact=True)).to_be_visible()
    phone.goto("/")
    expect(phone.get_by_text("This page is for the business owner.")).to_be_visible()


def test_the_arabic_choice_is_right_to_left_and_survives_a_reload(page: Page) -> None:
    page.goto("/signin")
    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("button", name="تسجيل الدخول")).to_be_visible()
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_the_token_stays_with_its_tab_and_never_in_local_storage(page: Page, business: str) -> None:
    sign_in(page, "owner", business)
    # What a script would find on disk, shared by every tab and every later visit: nothing of the session.
    kept = page.evaluate("() => Object.keys(localStorage).map((key) => localStorage.getItem(key)).join(' ')")
    assert "eyJ" not in kept
    page.reload()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()  # the tab keeps its session
    other = page.context.new_page()
    other.goto("/")
    expect(other.get_by_text("Please sign in.")).to_be_visible()  # another tab has none
    other.close()
