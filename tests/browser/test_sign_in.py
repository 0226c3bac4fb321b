"""Sign-in through Cognito's API (the stack's front of moto's Cognito): the app's "Sign in", and "Sign out"."""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, account, in_both_languages, sign_in

pytestmark = pytest.mark.browser


def test_the_owner_signs_in_and_signs_out(page: Page, business: str) -> None:
    page.goto("/")
    expect(page.get_by_text("Please sign in.")).to_be_visible()
    page.get_by_role("link", name="Sign in").click()
    expect(page.get_by_label("Email")).to_be_visible()
    in_both_languages(page, "signin")

    sign_in(page, "owner", business)
    expect(page).to_have_url("/")
    expect(page.get_by_role("heading", name="Offers")).to_be_visible()
    expect(page.get_by_text("No offers yet.")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
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


def test_a_forgotten_password_is_reset_with_the_mailed_code(page: Page, business: str, web: str) -> None:
    email = account("owner", business)
    page.goto("/signin")
    page.get_by_role("button", name="Forgot password").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_label("Confirmation code")).to_be_visible()
    in_both_languages(page, "forgot-password")
    page.get_by_label("Confirmation code").fill(mailed_code(web, email))
    page.get_by_label("New password").fill("A-brand-new-one-2027")
    page.get_by_role("button", name="Reset password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    page.get_by_label("Password").fill("A-brand-new-one-2027")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def mailed_code(web: str, to: str) -> str:
    for _ in range(50):
        for message in requests.get(f"{web}/_local/mail", params={"to": to}, timeout=10).json()["messages"]:
            found = re.search(r"\b(\d{6})\b", message["text"])
            if "reset" in message["subject"].lower() and found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no reset code for {to}")


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
