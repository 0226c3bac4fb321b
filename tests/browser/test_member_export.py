"""The owner's "Export CSV" on a desktop and a 375 px phone, in English and Arabic: progress while the server writes
the file, then "Download", which saves every member with Arabic intact; the stats table as CSV too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Api, in_both_languages, sign_in

pytestmark = pytest.mark.browser

BOM = "\ufeff"
WORDS = {
    "en": {"toggle": "العربية", "export": "Export CSV", "running": "Exporting", "download": "Download"},
    "ar": {"toggle": "English", "export": "تصدير CSV", "running": "جارٍ التصدير", "download": "تنزيل"},
}


def saved_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def export_in(page: Page, lang: str, names: set[str]) -> None:
    words = WORDS[lang]
    page.get_by_role("button", name=words["export"], exact=True).click()
    expect(page.get_by_role("status").filter(has_text=words["running"])).to_be_visible()
    link = page.get_by_role("link", name=words["download"], exact=True)
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as download:
        link.click()
    rows = saved_rows(Path(download.value.path()))
    assert {row[2] for row in rows[1:]} == names


@pytest.mark.parametrize("device", ["page", "phone"])
def test_export_csv_then_download_in_both_languages(
    device: str, request: pytest.FixtureRequest, business: str, owner_api: Api
) -> None:
    page: Page = request.getfixturevalue(device)
    offer = owner_api.offer()
    names = {"ليلى حداد", "Omar Lane", "=1+2"}
    for name in names:
        owner_api.enroll(offer["offerId"], name=name)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/customers")
    expected = {"'=1+2" if name.startswith("=") else name for name in names}
    export_in(page, "en", expected)
    in_both_languages(page, f"export-{device}")
    page.get_by_role("button", name=WORDS["en"]["toggle"], exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    export_in(page, "ar", expected)
    page.get_by_role("button", name=WORDS["ar"]["toggle"], exact=True).click()


def test_the_stats_table_as_csv(page: Page, business: str, owner_api: Api) -> None:
    offer = owner_api.offer(stamps=2)
    sign_in(page, "owner", business)
    page.goto(f"/offers/{offer['offerId']}/stats")
    expect(page.get_by_role("table", name="Stamps and prizes per day").locator("tbody tr")).to_have_count(14)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    header, *days = saved_rows(Path(download.value.path()))
    assert header == ["Day", "Stamps", "Prizes", "Voids", "Joined"]
    assert len(days) == 14 and all(len(day[0]) == 10 for day in days)
