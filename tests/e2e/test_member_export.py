"""The members CSV through the local gateway: the owner starts an export, the worker (a queue consumer of the
local stack, writing to moto's S3) builds the file, the owner polls until it is DONE and downloads it through the
link, which holds every member with emails unmasked, Arabic intact and no formula."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.conftest import TokenFactory
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e

BOM = "\ufeff"


def start(owner: Counter, offer_id: str, key: str | None = None) -> requests.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return owner.call("POST", f"/api/offers/{offer_id}/customers/export", headers=headers)


def progress(owner: Counter, export_id: str) -> dict[str, Any]:
    answer = owner.call("GET", f"/api/exports/{export_id}")
    assert answer.status_code == 200, answer.text
    state: dict[str, Any] = answer.json()
    return state


@pytest.fixture
def shop(gateway: str, owner: Counter) -> tuple[str, dict[str, str]]:
    offer_id = owner.create_offer(stamps_required=3)
    people: dict[str, str] = {}
    for name in ("ليلى حداد", '=HYPERLINK("http://evil","x")', "Omar, Jr."):
        email = f"m.{uuid.uuid4().hex[:8]}@example.com"
        response = enroll(gateway, offer_id, email=email, name=name)
        assert response.status_code == 201, response.text
        people[email] = name
    return offer_id, people


def test_start_poll_download_every_member(owner: Counter, shop: tuple[str, dict[str, str]]) -> None:
    offer_id, people = shop
    started = start(owner, offer_id, key=f"export-{uuid.uuid4()}")
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["status"] == "RUNNING" and body["exportId"].startswith("exp_")
    done = eventually(
        lambda: progress(owner, body["exportId"]), lambda s: s["status"] != "RUNNING", timeout=30
    )
    assert done["status"] == "DONE" and done["rows"] == 3
    assert done["expiresAt"] is not None and done["downloadUrl"].startswith("http")

    download = requests.get(done["downloadUrl"], timeout=10)
    assert download.status_code == 200
    assert "attachment" in download.headers.get("Content-Disposition", "")
    text = download.content.decode("utf-8")
    assert text.startswith(BOM)
    header, *rows = list(csv.reader(io.StringIO(text[len(BOM) :])))
    assert header[2:4] == ["Name", "Email"]
    assert {row[3]: row[2] for row in rows} == {
        email: ("'" + name if name.startswith("=") else name) for email, name in people.items()
    }


def test_a_retried_key_answers_the_same_export(owner: Counter, shop: tuple[str, dict[str, str]]) -> None:
    offer_id, _ = shop
    key = f"export-{uuid.uuid4()}"
    first, again = start(owner, offer_id, key), start(owner, offer_id, key)
    assert first.status_code == again.status_code == 202
    assert again.json()["exportId"] == first.json()["exportId"]


def test_the_link_is_signed_for_fifteen_minutes(owner: Counter, shop: tuple[str, dict[str, str]]) -> None:
    """S3 enforces a presigned link's expiry (moto's S3 does not check signatures, so the signed expiry and the
    answer's `expiresAt` are what is asserted here); asking again signs a fresh link."""
    offer_id, _ = shop
    export_id = start(owner, offer_id).json()["exportId"]
    done = eventually(lambda: progress(owner, export_id), lambda s: s["status"] == "DONE", timeout=30)
    query = parse_qs(urlsplit(str(done["downloadUrl"])).query)
    assert query["X-Amz-Expires"] == ["900"] and query["X-Amz-Signature"]
    signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    expires = datetime.fromisoformat(str(done["expiresAt"]).replace("Z", "+00:00"))
    assert abs((expires - signed) - timedelta(minutes=15)) < timedelta(seconds=5)


def test_refusals(gateway: str, owner: Counter, manager: Counter, token: TokenFactory, shop) -> None:
    offer_id, _ = shop
    refused = start(manager, offer_id)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "FORBIDDEN"
    unknown = start(owner, "off_" + "a" * 26)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "OFFER_NOT_FOUND"
    other = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20], sub="owner-2"))
    assert start(other, offer_id).status_code == 404
    export_id = start(owner, offer_id).json()["exportId"]
    theirs = other.call("GET", f"/api/exports/{export_id}")
    assert theirs.status_code == 404 and theirs.json()["error"]["code"] == "EXPORT_NOT_FOUND"
    assert owner.call("GET", "/api/exports/exp_" + "b" * 26).status_code == 404
    assert owner.call("GET", "/api/exports/nonsense").status_code == 404
    assert manager.call("GET", f"/api/exports/{export_id}").status_code == 403
    assert requests.get(f"{gateway}/api/exports/{export_id}", timeout=10).status_code == 401
