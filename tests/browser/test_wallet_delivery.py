"""Delivery you can see in the dashboard: a member's page says whether their pass reached their phones (Apple: the
devices, the last update sent, what Apple answered, the phone's fetch; Google: saved or removed), and the stats
count the offer's passes in the wallets; in English and Arabic, on a desktop and at 375 px."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from loyalty.adapters.google.objects import object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.browser.conftest import SETTLE_MS, Api, in_both_languages, shown_after_reloads, sign_in
from tests.support.eventually import eventually
from tests.support.phone import Phone, pkpass_files

pytestmark = pytest.mark.browser


def _delivered(local_stack: LocalStack, owner_api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    """A member whose pass is on one iPhone that fetched the last update, and saved in Google Wallet."""
    offer = owner_api.offer(stamps=4)
    customer = owner_api.enroll(offer["offerId"], name="Layla")
    download = requests.get(customer["wallet"]["appleWalletUrl"], timeout=30)
    phone = Phone(json.loads(pkpass_files(download.content)["pass.json"]), device=uuid.uuid4().hex)
    assert phone.register(uuid.uuid4().hex * 2).status_code == 201
    owner_api.stamp(customer["customerId"], offer["offerId"], 1)
    path = f"/api/offers/{offer['offerId']}/customers?q={customer['customerId']}"
    eventually(
        lambda: owner_api.get(path)["items"][0]["wallet"]["apple"],
        lambda apple: apple["lastPushResult"] == "DELIVERED",
        timeout=SETTLE_MS / 1000,
    )
    assert [fetch.status_code for fetch in phone.answer_push()] == [200]
    google = next(addon for addon in local_stack.addons if isinstance(addon, GoogleWalletStandin))
    assert google.save(object_id(LOCAL_ISSUER_ID, customer["customerId"], offer["offerId"])) == 200
    return offer, customer


@pytest.mark.parametrize("screen", ["page", "phone"])
def test_a_member_page_shows_the_pass_reached_the_phone(
    request: pytest.FixtureRequest, screen: str, local_stack: LocalStack, business: str, owner_api: Api
) -> None:
    page: Page = request.getfixturevalue(screen)
    offer, customer = _delivered(local_stack, owner_api)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/customers/{customer['customerId']}")
    expect(page.get_by_role("heading", name="Layla")).to_be_visible()
    wallets = page.get_by_role("region", name="Wallets")
    apple_facts = wallets.get_by_label("Apple Wallet")
    expect(apple_facts.locator("div", has_text="Devices").locator("dd")).to_have_text("1")
    expect(apple_facts.locator("div", has_text="What Apple answered").locator("dd")).to_have_text("Delivered")
    expect(apple_facts.locator("div", has_text="Up to date").locator("dd")).to_have_text("Yes")
    google_facts = wallets.get_by_label("Google Wallet")
    expect(google_facts.locator("div", has_text="In the wallet").locator("dd")).to_have_text("Saved")
    expect(google_facts.locator("div", has_text="What Google answered").locator("dd")).to_have_text("Updated")

    def arabic_too() -> None:
        if page.locator("html").get_attribute("lang") == "ar":
            region = page.get_by_role("region", name="المحافظ")
            expect(
                region.get_by_label("محفظة Apple").locator("div", has_text="رد Apple").locator("dd")
            ).to_have_text("وصل")
            expect(
                region.get_by_label("محفظة Google").locator("div", has_text="في المحفظة").locator("dd")
            ).to_have_text("محفوظة")
            expect(
                region.get_by_label("محفظة Apple").locator("div", has_text="الأجهزة").locator("dd")
            ).to_have_text("١")

    in_both_languages(page, f"member-wallets-{screen}", arabic_too)


def test_the_stats_count_the_passes_in_the_wallets(
    page: Page, local_stack: LocalStack, business: str, owner_api: Api
) -> None:
    offer, _ = _delivered(local_stack, owner_api)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/stats")
    wallets = page.get_by_label("Wallets", exact=True).last
    shown_after_reloads(
        page,
        lambda: expect(
            page.get_by_label("Wallets", exact=True)
            .last.locator("div", has_text="Saved in Google Wallet")
            .locator("dd")
        ).to_have_text("1", timeout=2_000),
    )
    expect(wallets.locator("div", has_text="On Apple Wallet").locator("dd")).to_have_text("1")
    expect(wallets.locator("div", has_text="Removed from Apple Wallet").locator("dd")).to_have_text("0")
    members_now = page.get_by_label("Members now", exact=True)
    for label in ("At risk", "Expiring soon", "Won back"):
        expect(members_now.locator("dt", has_text=label)).to_have_count(1)
    in_both_languages(page, "stats-wallets")
