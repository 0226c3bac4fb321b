"""An offer's members through the local gateway: newest first, filters, exact search, masked for managers."""

from __future__ import annotations

import uuid

import pytest

from tests.support.counter import Counter, enroll

pytestmark = pytest.mark.e2e


def members(counter: Counter, offer_id: str, **params: object):
    return counter.call("GET", f"/api/offers/{offer_id}/customers", params=params)


@pytest.fixture
def crowd(gateway: str, owner: Counter, manager: Counter) -> tuple[str, list[tuple[str, str]]]:
    """An offer of 2 stamps with five members, oldest first; the third has claimed one prize."""
    offer_id = owner.create_offer(stamps_required=2)
    joined = []
    for n in range(5):
        email = f"member{n}-{uuid.uuid4().hex[:6]}@example.com"
        response = enroll(gateway, offer_id, email=email, name=f"Member {n}")
        assert response.status_code == 201
        joined.append((response.json()["customerId"], email))
    prized = joined[2][0]
    manager.scan(prized, offer_id)
    manager.scan(prized, offer_id)
    manager.confirm(prized, offer_id)
    return offer_id, joined


def test_members_newest_first_page_by_page(owner: Counter, crowd) -> None:
    offer_id, joined = crowd
    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        page = members(owner, offer_id, limit=2, **({"cursor": cursor} if cursor else {}))
        assert page.status_code == 200, page.text
        assert len(page.json()["items"]) <= 2
        seen.extend(page.json()["items"])
        cursor = page.json()["nextCursor"]
        if cursor is None:
            break
    assert [m["customerId"] for m in seen] == [c for c, _ in reversed(joined)]
    first = seen[-1]
    assert (first["name"], first["email"], first["status"], first["preferredLanguage"]) == (
        "Member 0",
        joined[0][1],
        "ACTIVE",
        "en",
    )
    assert first["progress"]["currentStamps"] == 0 and first["rewardReady"] is False
    assert first["memberSince"] and first["lastActivityAt"]


def test_filters_by_tier_and_searches_by_email_or_id(owner: Counter, crowd) -> None:
    offer_id, joined = crowd
    bronze = members(owner, offer_id, tier="bronze").json()["items"]
    assert [m["customerId"] for m in bronze] == [joined[2][0]]
    assert bronze[0]["tier"]["currentTier"]["id"] == "bronze"
    untiered = members(owner, offer_id, tier="none").json()["items"]
    assert len(untiered) == 4
    assert members(owner, offer_id, status="EXPIRED").json()["items"] == []
    assert len(members(owner, offer_id, status="ACTIVE").json()["items"]) == 5

    by_email = members(owner, offer_id, q=f"  {joined[1][1].upper()} ").json()["items"]
    assert [m["customerId"] for m in by_email] == [joined[1][0]]
    by_id = members(owner, offer_id, q=joined[3][0]).json()["items"]
    assert [m["email"] for m in by_id] == [joined[3][1]]
    assert members(owner, offer_id, q="nobody@example.com").json() == {"items": [], "nextCursor": None}


def test_managers_see_masked_emails(manager: Counter, crowd) -> None:
    offer_id, joined = crowd
    items = members(manager, offer_id).json()["items"]
    assert items and all(m["email"].startswith("m***@e***.") for m in items)
    assert not any(email in str(items) for _, email in joined)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"status": "GONE"}, 422),
        ({"tier": "platinum"}, 422),
        ({"limit": 0}, 422),
        ({"cursor": "bm9wZQ"}, 400),
    ],
)
def test_bad_filters_are_4xx(owner: Counter, crowd, params: dict[str, object], status: int) -> None:
    offer_id, _ = crowd
    response = members(owner, offer_id, **params)
    assert response.status_code == status, response.text
    assert response.json()["success"] is False


def test_another_business_sees_no_members(gateway: str, token, crowd) -> None:
    offer_id, _ = crowd
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    assert members(stranger, offer_id).status_code == 404


def _forged(sort: str) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps({"sk": sort}).encode()).decode().rstrip("=")


def test_a_forged_or_edited_cursor_is_400(owner: Counter, crowd) -> None:
    offer_id, joined = crowd
    handed_out = members(owner, offer_id, limit=2).json()["nextCursor"]
    assert members(owner, offer_id, limit=2, cursor=handed_out).status_code == 200
    # A cursor built by hand for a real member (the shape a first version of the listing handed out), and a
    # handed-out cursor moved to another member: neither is one this listing gave.
    position, _, signature = handed_out.partition(".")
    elsewhere = _forged(f"2099-01-01T00:00:00.000Z#{joined[0][0]}")
    for cursor in (
        _forged(f"2099-01-01T00:00:00.000Z#{joined[4][0]}"),
        f"{elsewhere}.{signature}",
        f"{position}.{'A' * len(signature)}",
    ):
        response = members(owner, offer_id, limit=2, cursor=cursor)
        assert response.status_code == 400, (cursor, response.text)
        assert response.json()["error"]["code"] == "INVALID_CURSOR"
