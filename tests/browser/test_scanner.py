"""The branch manager's scanner on a 375 px phone: the camera (Chromium's fake device playing a QR video) or a typed
code opens the customer card; "Add stamp" never doubles on a flaky network; a full card asks for "Confirm prize",
whose tier upgrade is celebrated; refusals are said in words."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, expect

from tests.browser.conftest import Api, in_both_languages, launch, new_context, sign_in
from tests.browser.qr_video import write_qr_video
from tests.support.counter import expire_pass
from tests.support.eventually import eventually

pytestmark = pytest.mark.browser


def open_pass(phone: Page, qr_payload: str) -> None:
    phone.get_by_role("button", name="Enter code").click()
    phone.get_by_label("Enter code").fill(qr_payload)
    phone.get_by_role("button", name="Open").click()


def test_stamps_to_a_prize_and_the_tier_upgrade(phone: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=3)
    customer = owner_api.enroll(offer["offerId"])
    sign_in(phone, "manager", business)
    open_pass(phone, customer["qrPayload"])
    expect(phone.get_by_text("0 of 3")).to_be_visible()

    for count in (1, 2, 3):
        phone.get_by_role("button", name="Add stamp").click()
        expect(phone.get_by_text(f"{count} of 3")).to_be_visible()
    expect(phone.get_by_text("Card full: hand over the prize.")).to_be_visible()
    phone.get_by_role("button", name="Confirm prize").click()

    expect(phone.get_by_text("Upgraded to 🥉 Bronze Member")).to_be_visible()
    expect(phone.get_by_text("0 of 3")).to_be_visible()
    expect(phone.get_by_role("button", name="Add stamp")).to_be_visible()
    in_both_languages(
        phone, "scanner-upgrade", lambda: expect(phone.locator(".upgrade-message")).to_be_visible()
    )


def test_a_retry_after_a_network_failure_never_doubles_the_stamp(
    phone: Page, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer(stamps=5)
    customer = owner_api.enroll(offer["offerId"])
    sign_in(phone, "manager", business)
    open_pass(phone, customer["qrPayload"])
    keys: list[str | None] = []

    def lose_the_first_answer(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            route.fetch()  # the server stamps the card, and the answer is lost on the way back
            route.abort("connectionreset")
        else:
            route.continue_()

    phone.route("**/api/branch-manager/scan/**", lose_the_first_answer)
    phone.get_by_role("button", name="Add stamp").click()
    expect(phone.get_by_text("Stamp added.")).to_be_visible()
    expect(phone.get_by_text("1 of 5")).to_be_visible()
    assert len(keys) == 2 and keys[0] == keys[1] and keys[0]
    # The key names the pass it was made for (decision 0020a): the scan stays one write, and the key is refused
    # about any other pass.
    assert keys[0].startswith(f"pass.{customer['customerId']}.{offer['offerId']}.")
    status = owner_api.get(f"/api/branch-manager/passes/{customer['customerId']}/{offer['offerId']}")
    assert status["progress"]["currentStamps"] == 1


def test_refusals_are_said_in_words(phone: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=2)
    customer = owner_api.enroll(offer["offerId"])
    sign_in(phone, "manager", business)
    open_pass(phone, "loyalty:v1:not-a-pass")
    expect(phone.get_by_text("That is not a loyalty pass code.")).to_be_visible()

    phone.get_by_label("Enter code").fill(customer["qrPayload"])
    phone.get_by_role("button", name="Open").click()
    expect(phone.get_by_text("0 of 2")).to_be_visible()
    owner_api.stamp(customer["customerId"], offer["offerId"], 2)  # another counter fills the card meanwhile
    phone.get_by_role("button", name="Add stamp").click()
    expect(phone.get_by_text("The card is already full: confirm the prize first.")).to_be_visible()
    expect(phone.get_by_role("button", name="Confirm prize")).to_be_visible()
    assert "REWARD_READY" not in phone.content()
    in_both_languages(phone, "scanner-refusal", lambda: expect(phone.get_by_role("alert")).to_be_visible())


def test_void_stamp_asks_first_and_each_notice_gives_way_to_the_next_action(
    phone: Page, business: str, owner_api: Api
) -> None:
    offer = owner_api.offer(stamps=4)
    customer = owner_api.enroll(offer["offerId"])
    sign_in(phone, "manager", business)
    open_pass(phone, customer["qrPayload"])
    phone.get_by_role("button", name="Add stamp").click()
    expect(phone.get_by_text("1 of 4")).to_be_visible()
    # A tap on "Void stamp" takes nothing back yet: it asks.
    phone.get_by_role("button", name="Void stamp").click()
    dialog = phone.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(phone.get_by_text("Stamp added.")).to_have_count(0)
    dialog.get_by_role("button", name="Cancel").click()
    expect(phone.get_by_text("1 of 4")).to_be_visible()
    phone.get_by_role("button", name="Void stamp").click()
    dialog.get_by_label("Reason (optional)").fill("scanned twice")
    with phone.expect_request("**/api/branch-manager/void-stamp/**") as voiding:
        dialog.get_by_role("button", name="Yes, void it").click()
    expect(phone.get_by_text("Stamp voided.")).to_be_visible()
    key = voiding.value.headers.get("idempotency-key") or ""
    assert key.startswith(f"pass.{customer['customerId']}.{offer['offerId']}.")
    expect(phone.get_by_text("0 of 4")).to_be_visible()
    status = owner_api.get(f"/api/branch-manager/passes/{customer['customerId']}/{offer['offerId']}")
    assert status["progress"]["currentStamps"] == 0
    # The next action's notice replaces it: one notice at a time.
    phone.get_by_role("button", name="Add stamp").click()
    expect(phone.get_by_text("Stamp added.")).to_be_visible()
    expect(phone.get_by_text("Stamp voided.")).to_have_count(0)
    expect(phone.locator(".notice, .celebration")).to_have_count(1)


@pytest.mark.parametrize("on_phone", [True, False], ids=["375px", "desktop"])
def test_an_expired_pass_says_so_before_any_tap_and_reactivate_brings_it_back(
    browser: Browser, web: str, local_stack, business: str, owner_api: Api, on_phone: bool
) -> None:
    offer = owner_api.offer(stamps=3)
    customer = owner_api.enroll(offer["offerId"], name="Layla Haddad")
    owner_api.stamp(customer["customerId"], offer["offerId"], 2)
    expire_pass(local_stack, customer["customerId"], offer["offerId"])
    context = new_context(browser, web, phone=on_phone)
    try:
        page = context.new_page()
        sign_in(page, "manager", business)
        open_pass(page, customer["qrPayload"])
        pass_ = page.locator(".customer-card")
        # Whose card and which offer, in one call, and expired before any tap: no "Add stamp" to be refused.
        expect(pass_.get_by_role("heading", name="Layla Haddad")).to_be_visible()
        expect(pass_.get_by_text("Bakery Card")).to_be_visible()
        expect(pass_.get_by_text("This pass has expired.", exact=False)).to_be_visible()
        expect(page.get_by_role("button", name="Add stamp")).to_have_count(0)
        in_both_languages(page, f"scanner-expired-{'phone' if on_phone else 'desktop'}")

        page.get_by_role("button", name="Reactivate").click()
        expect(page.get_by_text("Pass reactivated: stamps start again at 0.")).to_be_visible()
        expect(page.get_by_text("0 of 3")).to_be_visible()
        page.get_by_role("button", name="Add stamp").click()
        expect(page.get_by_text("1 of 3")).to_be_visible()
        status = owner_api.get(f"/api/branch-manager/passes/{customer['customerId']}/{offer['offerId']}")
        assert (status["status"], status["progress"]["currentStamps"]) == ("ACTIVE", 1)
        in_both_languages(
            page,
            f"scanner-reactivated-{'phone' if on_phone else 'desktop'}",
            lambda: expect(page.locator(".offer-name")).to_be_visible(),
        )
    finally:
        context.close()


def test_the_camera_reads_the_customer_qr(
    driver: Playwright, web: str, business: str, owner_api: Api, tmp_path: Path
) -> None:
    offer = owner_api.offer(stamps=4)
    customer = owner_api.enroll(offer["offerId"], name="Camera Customer")
    video = write_qr_video(customer["qrPayload"], tmp_path / "qr.y4m")
    camera = launch(
        driver,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    try:
        context = new_context(camera, web, phone=True)
        context.grant_permissions(["camera"])
        phone = context.new_page()
        sign_in(phone, "manager", business)
        phone.get_by_role("button", name="Scan", exact=True).click()
        expect(phone.get_by_text("0 of 4")).to_be_visible()
        phone.get_by_role("button", name="Add stamp").click()
        expect(phone.get_by_text("1 of 4")).to_be_visible()
    finally:
        camera.close()


def directory_finds(owner_api: Api, offer_id: str, q: str, count: int) -> None:
    """Wait until the member directory (written by the table's stream a moment after a change) finds `count`."""
    eventually(
        lambda: owner_api.get(f"/api/offers/{offer_id}/customers?{urlencode({'q': q})}")["items"],
        lambda items: len(items) == count,
    )


@pytest.mark.parametrize("on_phone", [True, False], ids=["375px", "desktop"])
def test_a_manager_finds_a_customer_by_the_start_of_a_name_and_by_the_short_code(
    browser: Browser, web: str, business: str, owner_api: Api, on_phone: bool
) -> None:
    offer = owner_api.offer(stamps=3)
    layla = owner_api.enroll(offer["offerId"], name="Layla Haddad")
    omar = owner_api.enroll(offer["offerId"], name="Omar Lane")
    directory_finds(owner_api, offer["offerId"], "lay", 1)
    code = owner_api.get(f"/api/branch-manager/passes/{omar['customerId']}/{offer['offerId']}")["shortCode"]
    directory_finds(owner_api, offer["offerId"], code, 1)
    context = new_context(browser, web, phone=on_phone)
    try:
        page = context.new_page()
        sign_in(page, "manager", business)
        page.get_by_label("Search", exact=True).fill("LAY")
        page.get_by_role("button", name="Search", exact=True).click()
        results = page.get_by_role("list", name="Customers found")
        expect(results.get_by_role("button")).to_have_count(1)
        in_both_languages(page, f"scanner-search-{'phone' if on_phone else 'desktop'}")
        results.get_by_role("button", name="Layla Haddad").click()
        expect(page.get_by_role("heading", name="Layla Haddad")).to_be_visible()
        page.get_by_role("button", name="Add stamp").click()
        expect(page.get_by_text("1 of 3")).to_be_visible()
        status = owner_api.get(f"/api/branch-manager/passes/{layla['customerId']}/{offer['offerId']}")
        assert status["progress"]["currentStamps"] == 1

        # The code under Omar's barcode, typed as a person reads it out.
        open_pass(page, f"{code[:4].lower()}-{code[4:]}")
        expect(page.get_by_role("heading", name="Omar Lane")).to_be_visible()
        expect(page.locator(".short-code")).to_have_text(code)
        expect(page.get_by_text("0 of 3")).to_be_visible()
    finally:
        context.close()
