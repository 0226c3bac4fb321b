"""The web apps in a real browser: Playwright drives Debian's Chromium (`/usr/bin/chromium`, installed by the
Makefile) headless against the session's local stack, which serves the built app (web/dist) at the API's origin.

Every journey finds elements by the accessible names DASHBOARD.md fixes, checks axe-core finds no serious or
critical violation, and leaves screenshots of its end state in both languages under test-artifacts/browser/."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.cloud.template import REPO_ROOT
from loyalty_local.tools.local_accounts import ensure_business

CHROMIUM = Path("/usr/bin/chromium")
# This machine's network is closed: without these, Chromium keeps trying to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPO_ROOT / "web/node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO_ROOT / "test-artifacts/browser"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def launch(driver: Playwright, *extra: str) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    return driver.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_ARGS, *extra])


_stack: list[Any] = []


@pytest.fixture(scope="session")
def web(gateway: str, local_stack: Any) -> str:
    """The stack's origin, once the app it serves is built."""
    if not (REPO_ROOT / "web/dist/index.html").is_file():
        pytest.fail("web/dist is not built: run `make web`")
    _stack.append(local_stack)
    return gateway


@pytest.fixture(scope="session")
def driver() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(driver: Playwright) -> Iterator[Browser]:
    chromium = launch(driver)
    yield chromium
    chromium.close()


def new_context(browser: Browser, web: str, phone: bool = False) -> BrowserContext:
    context = browser.new_context(
        base_url=web,
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
        locale="en-GB",
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def page(browser: Browser, web: str) -> Iterator[Page]:
    context = new_context(browser, web)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser: Browser, web: str) -> Iterator[Page]:
    context = new_context(browser, web, phone=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def business() -> str:
    """A business of this test's own, so journeys never see each other's offers."""
    return "biz_" + uuid.uuid4().hex[:16]


PASSWORD = "Browser-journey-42"


def account(role: str, business: str, branch: str | None = None) -> str:
    """An account of the stack's Cognito pool that is `role` of `business` (a manager at `branch`), made as the
    staff routes make them, its password set: the email to sign in with (PASSWORD)."""
    stack = _stack[0]
    email = f"{role}.{business}.{branch or 'all'}@example.com".lower().replace("_", "-")
    ensure_business(dynamodb_client(stack.dynamodb.endpoint), stack.config.table_name, business, branch)
    cognito = boto3.client("cognito-idp", region_name="us-east-1", endpoint_url=stack.moto.endpoint)
    pool = stack.cognito.pool.pool_id
    attributes = [
        {"Name": "email", "Value": email},
        {"Name": "email_verified", "Value": "true"},
        {"Name": "custom:businessId", "Value": business},
    ]
    if branch:
        attributes.append({"Name": "custom:branchId", "Value": branch})
    try:
        cognito.admin_create_user(
            UserPoolId=pool, Username=email, UserAttributes=attributes, MessageAction="SUPPRESS"
        )
    except cognito.exceptions.UsernameExistsException:
        return email
    cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=role)
    return email


def sign_in(page: Page, role: str, business: str, branch: str = "branch-web") -> None:
    """Signed in through the app's own "Sign in" (Cognito's API), as `role` of `business`."""
    email = account(role, business, branch if role == "manager" else None)
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


# Long enough for the table stream to write a change's event and counters (issue 15: ~0.2-1 s after the answer)
# and for a page to read them again.
SETTLE_MS = 15_000


def shown_after_reloads(page: Page, check: Callable[[], None], timeout: float = SETTLE_MS / 1000) -> None:
    """`check` (Playwright expects with short timeouts) holds on the page, reloading it until it does: for pages
    that read what the table stream writes (stats) once, when they open. The last failure is raised as is."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() >= deadline:
                raise
            page.reload()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it stands."""
    # Evaluated by the test driver, not added as a <script>: the page's CSP refuses inline script, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target)}))"""
    )
    return found


def in_both_languages(page: Page, name: str, check: Callable[[], None] | None = None) -> None:
    """The page's end state in English, then Arabic (right to left), then English again: axe-core clean and a
    screenshot in each; `check` runs in each language (it finds what must show whatever the language)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for lang, toggle in (("en", "العربية"), ("ar", "English")):
        expect(page.locator("html")).to_have_attribute("lang", lang)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if lang == "ar" else "ltr")
        if check:
            check()
        assert axe_violations(page) == [], f"axe-core on {name} ({lang})"
        width = page.viewport_size["width"] if page.viewport_size else 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (
            f"{name} ({lang}) scrolls sideways"
        )
        page.screenshot(path=str(ARTIFACTS / f"{name}-{lang}.png"), full_page=True)
        page.get_by_role("button", name=toggle, exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


class Api:
    """The contract over HTTP, for setting a journey's scene quickly (what the browser does is tested in it)."""

    def __init__(self, base: str, token: str) -> None:
        self.base = base
        self.headers = {"Authorization": f"Bearer {token}"}

    def post(self, path: str, body: dict[str, Any] | None = None, expected: int = 200) -> dict[str, Any]:
        answer = requests.post(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)
        assert answer.status_code == expected, answer.text
        result: dict[str, Any] = answer.json() if answer.content else {}
        return result

    def patch(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = requests.patch(f"{self.base}{path}", json=body, headers=self.headers, timeout=30)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def get(self, path: str) -> dict[str, Any]:
        answer = requests.get(f"{self.base}{path}", headers=self.headers, timeout=30)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def offer(self, stamps: int = 3, **texts: Any) -> dict[str, Any]:
        body = {"name": "Bakery Card", "nameAr": "بطاقة المخبز", "stampsRequired": stamps, **texts}
        body.setdefault("rewardDescription", "A free croissant")
        body.setdefault("rewardDescriptionAr", "كرواسون مجاني")
        return self.post("/api/offers", body, expected=201)

    def enroll(self, offer_id: str, name: str = "Jane Doe") -> dict[str, Any]:
        email = f"{uuid.uuid4().hex[:10]}@example.com"
        body = {"email": email, "name": name, "preferredLanguage": "en"}
        return self.post(f"/api/offers/{offer_id}/enroll", body, expected=201)

    def stamp(self, customer_id: str, offer_id: str, times: int) -> None:
        for _ in range(times):
            self.post(f"/api/branch-manager/scan/{customer_id}/{offer_id}")


@pytest.fixture
def owner_api(web: str, token: Callable[..., str], business: str) -> Api:
    return Api(web, token(role="owner", business_id=business))
