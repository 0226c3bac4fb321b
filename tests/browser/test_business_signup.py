"""The issue's story in a real Chromium, through Cognito's API and the app alone: a new owner signs up, confirms
the mailed code, creates the business, adds a branch and an offer, invites a manager; the manager sets their own
password and stamps a card at that branch; the owner sees the branch by name in the stats, removes the manager,
and the manager's next scan is refused.

The bound: a removed person's refresh token is revoked at once and their ID token lives 5 minutes. The test moves
the manager's page clock past the point where the app refreshes its token (1 minute before it runs out) instead of
waiting: the refresh is refused and the scan with it; the token itself is shown to live 300 seconds."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import in_both_languages, new_context, shown_after_reloads

pytestmark = pytest.mark.browser

PASSWORD = "Bean-there-2027"


def mailed(web: str, to: str, subject_word: str, pattern: str) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for message in requests.get(f"{web}/_local/mail", params={"to": to}, timeout=10).json()["messages"]:
            if subject_word in message["subject"].lower():
                found = re.search(pattern, message["text"])
                assert found, message
                return found.group(1)
        time.sleep(0.3)
    raise AssertionError(f"no {subject_word} mail for {to}")


def id_token_lifetime(page: Page) -> int:
    stored = json.loads(page.evaluate("localStorage.getItem('loyalty.session')"))
    payload = stored["idToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return int(claims["exp"]) - int(claims["iat"])


def sign_up_and_create_the_business(owner: Page, web: str, email: str) -> None:
    owner.goto("/signin")
    owner.get_by_role("button", name="Create account").click()
    owner.get_by_label("Email").fill(email)
    owner.get_by_label("Password").fill("weak")
    owner.get_by_role("button", name="Create account").click()
    expect(owner.get_by_text("This password is too weak")).to_be_visible()
    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_role("button", name="Create account").click()

    expect(owner.get_by_label("Confirmation code")).to_be_visible()
    owner.get_by_label("Confirmation code").fill("000000")
    owner.get_by_role("button", name="Confirm", exact=True).click()
    expect(owner.get_by_text("That code is not right")).to_be_visible()
    owner.get_by_label("Confirmation code").fill(mailed(web, email, "verification", r"\b(\d{6})\b"))
    owner.get_by_role("button", name="Confirm", exact=True).click()
    expect(owner.get_by_text("Your email is confirmed")).to_be_visible()

    owner.get_by_label("Password").fill(PASSWORD)
    owner.get_by_role("button", name="Sign in", exact=True).click()
    expect(owner.get_by_role("heading", name="Create your business")).to_be_visible()
    in_both_languages(owner, "signup-create-business")
    owner.get_by_label("Business name (English)").fill("Bean There")
    owner.get_by_label("Business name (Arabic)").fill("كنا هنا")
    owner.get_by_label("Timezone").fill("Asia/Riyadh")
    owner.get_by_role("button", name="Create business").click()
    expect(owner.get_by_role("heading", name="Offers")).to_be_visible()
    # The header names the business, never its id.
    expect(owner.locator(".who")).to_contain_text("Bean There")
    expect(owner.locator(".who")).not_to_contain_text("biz_")


def add_branch_and_offer(owner: Page) -> str:
    owner.get_by_role("link", name="Branches").click()
    owner.get_by_label("Branch name (English)").fill("Olaya")
    owner.get_by_label("Branch name (Arabic)").fill("العليا")
    owner.get_by_label("Address").fill("Olaya St, Riyadh")
    owner.get_by_role("button", name="Add branch").click()
    expect(owner.get_by_role("heading", name="Olaya")).to_be_visible()
    in_both_languages(owner, "signup-branches")

    owner.get_by_role("link", name="Offers").click()
    owner.get_by_label("Offer name (English)").fill("Coffee Card")
    owner.get_by_label("Stamps required").fill("5")
    owner.get_by_role("button", name="Create", exact=True).click()
    owner.get_by_role("button", name="Edit offer").click()
    expect(owner).to_have_url(re.compile(r"/offers/off_[a-z0-9]+"))
    found = re.search(r"/offers/(off_[a-z0-9]+)", owner.url)
    assert found
    return found.group(1)


def test_a_new_owner_signs_up_staffs_the_business_and_removes_a_manager(browser: Browser, web: str) -> None:
    owner = new_context(browser, web).new_page()
    sign_up_and_create_the_business(owner, web, f"owner.{uuid.uuid4().hex[:10]}@example.com")
    offer_id = add_branch_and_offer(owner)

    manager_email = f"manager.{uuid.uuid4().hex[:10]}@example.com"
    owner.get_by_role("link", name="Staff").click()
    owner.get_by_label("Email").fill(manager_email)
    owner.get_by_label("Role").select_option("manager")
    owner.get_by_label("Branch").select_option(label="Olaya")
    owner.get_by_role("button", name="Invite", exact=True).click()
    expect(owner.get_by_text(f"Invitation emailed to {manager_email}.")).to_be_visible()
    expect(owner.get_by_role("row", name=re.compile(re.escape(manager_email)))).to_contain_text("Invited")

    manager_context = new_context(browser, web, phone=True)
    manager = manager_context.new_page()
    manager.clock.install()
    manager.goto("/signin")
    manager.get_by_label("Email").fill(manager_email)
    manager.get_by_label("Password").fill(
        mailed(web, manager_email, "invitation", r"temporary password (\S+) ")
    )
    manager.get_by_role("button", name="Sign in", exact=True).click()
    manager.get_by_label("New password").fill(PASSWORD)
    manager.get_by_role("button", name="Save password").click()
    expect(manager).to_have_url("/scan")

    customer = requests.post(
        f"{web}/api/offers/{offer_id}/enroll",
        json={"email": f"{uuid.uuid4().hex[:10]}@example.com", "name": "Sam"},
        timeout=30,
    ).json()
    manager.get_by_role("button", name="Enter code").click()
    manager.get_by_label("Enter code").fill(customer["qrPayload"])
    manager.get_by_role("button", name="Open").click()
    manager.get_by_role("button", name="Add stamp").click()
    expect(manager.get_by_text("1 of 5")).to_be_visible()

    owner.goto(f"/offers/{offer_id}/stats")
    by_branch = owner.get_by_role("table", name="By branch")
    shown_after_reloads(
        owner, lambda: expect(by_branch.get_by_role("rowheader", name="Olaya")).to_be_visible(timeout=2000)
    )
    expect(by_branch).not_to_contain_text("brn_")

    owner.get_by_role("link", name="Staff").click()
    expect(owner.get_by_role("row", name=re.compile(re.escape(manager_email)))).to_contain_text("Active")
    owner.once("dialog", lambda dialog: dialog.accept())
    owner.get_by_role("row", name=re.compile(re.escape(manager_email))).get_by_role(
        "button", name="Remove"
    ).click()
    expect(owner.get_by_role("cell", name="Former staff member")).to_be_visible()
    in_both_languages(owner, "signup-staff")

    # The token in the manager's hands lives 5 minutes; the app refreshes it a minute before: past that point the
    # refresh is refused (signed out everywhere), and so is the scan.
    assert id_token_lifetime(manager) <= 300
    manager.clock.fast_forward("04:05")
    manager.get_by_role("button", name="Add stamp").click()
    expect(manager.get_by_text("Your sign-in has ended. Please sign in again.")).to_be_visible()
    expect(manager.get_by_text("2 of 5")).not_to_be_visible()
    manager_context.close()
