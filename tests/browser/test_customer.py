"""The customer's pages (public): `/join/{offerId}` from the counter's QR, and `/pass/recover?token=…` from a mail."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, in_both_languages

pytestmark = pytest.mark.browser


def join(phone: Page, offer_id: str, email: str) -> None:
    phone.goto(f"/join/{offer_id}")
    expect(phone.get_by_role("heading", name="Join Bakery Card")).to_be_visible()
    expect(phone.get_by_text("A free croissant")).to_be_visible()
    phone.get_by_label("Email").fill(email)
    phone.get_by_label("Name").fill("Layla")
    phone.get_by_label("Language").select_option("ar")
    phone.get_by_role("button", name="Join").click()


def test_a_customer_joins_and_gets_the_wallet_buttons_and_qr(phone: Page, owner_api: Api) -> None:
    offer = owner_api.offer()
    join(phone, offer["offerId"], f"{uuid.uuid4().hex[:8]}@example.com")
    expect(phone.get_by_role("button", name="Add to Apple Wallet")).to_be_enabled()
    expect(phone.get_by_role("button", name="Save to Google Wallet")).to_be_enabled()
    expect(phone.get_by_role("img", name="Your pass QR: show it at the counter")).to_be_visible()
    in_both_languages(
        phone, "join", lambda: expect(phone.locator(".pass-ready button.wallet")).to_have_count(2)
    )


def test_an_email_already_enrolled_gets_check_your_email_and_nothing_else(
    phone: Page, owner_api: Api
) -> None:
    offer = owner_api.offer()
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    owner_api.post(f"/api/offers/{offer['offerId']}/enroll", {"email": email, "name": "Layla"}, expected=201)
    join(phone, offer["offerId"], email)
    expect(phone.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(phone.get_by_role("button", name="Add to Apple Wallet")).to_have_count(0)
    in_both_languages(phone, "join-mailed")


def test_the_mailed_link_recovers_the_pass(phone: Page, web: str, owner_api: Api) -> None:
    offer = owner_api.offer()
    email = f"{uuid.uuid4().hex[:8]}@example.com"
    owner_api.post(f"/api/offers/{offer['offerId']}/enroll", {"email": email, "name": "Layla"}, expected=201)
    owner_api.post(f"/api/offers/{offer['offerId']}/enroll", {"email": email, "name": "Layla"}, expected=202)
    mail = requests.get(f"{web}/_local/mail", params={"to": email}, timeout=30).json()["messages"][0]
    link = next(word for word in mail["text"].split() if "/pass/recover?token=" in word)
    phone.goto(link)
    expect(phone.get_by_role("button", name="Add to Apple Wallet")).to_be_visible()
    expect(phone.get_by_role("button", name="Save to Google Wallet")).to_be_visible()
    in_both_languages(phone, "recover")


def test_a_recovery_link_without_its_token_says_so(phone: Page, web: str) -> None:
    phone.goto("/pass/recover")
    expect(phone.get_by_text("This link is missing its token.")).to_be_visible()


def test_the_join_page_shows_the_offer_pass_and_never_the_address_texts(
    phone: Page, owner_api: Api, local_stack: Any, business: str
) -> None:
    owner_api.patch("/api/business", {"name": "Crumbs Bakery", "nameAr": "مخبز كرمز"})
    offer = owner_api.offer()
    phone.goto(f"/join/{offer['offerId']}?name=Free+iPhone+Club&reward=An+iPhone+16")
    expect(phone.get_by_role("heading", name="Join Bakery Card")).to_be_visible()
    expect(phone.get_by_text("A free croissant")).to_be_visible()
    expect(phone.get_by_text("Crumbs Bakery")).to_be_visible()
    expect(phone.get_by_text("iPhone")).to_have_count(0)
    in_both_languages(
        phone,
        "join-card",
        lambda: expect(phone.get_by_role("button", name=re.compile("^(Join|انضمام)$"))).to_be_visible(),
    )
    phone.get_by_role("button", name="العربية", exact=True).click()
    expect(phone.get_by_role("heading", name="انضم إلى بطاقة المخبز")).to_be_visible()
    expect(phone.get_by_text("مخبز كرمز")).to_be_visible()
    expect(phone.get_by_text("كرواسون مجاني")).to_be_visible()


def test_a_closed_offer_says_so_before_any_form(phone: Page, owner_api: Api) -> None:
    offer = owner_api.offer()
    requests.patch(
        f"{owner_api.base}/api/offers/{offer['offerId']}",
        json={"status": "ARCHIVED"},
        headers=owner_api.headers,
        timeout=30,
    ).raise_for_status()
    phone.goto(f"/join/{offer['offerId']}")
    expect(phone.get_by_role("heading", name="This offer is closed")).to_be_visible()
    expect(phone.get_by_label("Email")).to_have_count(0)
    expect(phone.get_by_role("button", name="Join")).to_have_count(0)
    in_both_languages(phone, "join-closed")


def test_an_unknown_offer_says_so_before_any_form(phone: Page) -> None:
    phone.goto("/join/off_doesnotexist000000000")
    expect(phone.get_by_role("heading", name="No such offer")).to_be_visible()
    expect(phone.get_by_label("Email")).to_have_count(0)
    in_both_languages(phone, "join-unknown")
