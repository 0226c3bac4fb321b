"""An offer's stats through the local gateway: counted as things happen, per day in the offer's time zone, per
branch, and the members as they stand (re-ranked at once by a ladder change)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.support.counter import Counter, enroll
from tests.support.eventually import at_least, eventually

pytestmark = pytest.mark.e2e

ZONE = "Pacific/Kiritimati"  # UTC+14: its "today" is often the UTC tomorrow


def manager_at(gateway: str, token, business_id: str, branch: str) -> Counter:
    return Counter(gateway, token("manager", business_id, branch_id=branch, sub=f"m-{branch}"))


def today() -> str:
    return datetime.now(UTC).astimezone(ZoneInfo(ZONE)).date().isoformat()


def stats(owner: Counter, offer_id: str, **params: str):
    return owner.call("GET", f"/api/offers/{offer_id}/stats", params=params)


def test_stats_count_what_happened_today_in_the_offer_time_zone(
    gateway: str, token, business_id: str, owner: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=2)
    assert owner.call("PATCH", f"/api/offers/{offer_id}", json={"timezone": ZONE}).status_code == 200
    north, south = (manager_at(gateway, token, business_id, b) for b in ("north", "south"))
    first = enroll(gateway, offer_id).json()["customerId"]
    second = enroll(gateway, offer_id).json()["customerId"]
    north.scan(first, offer_id)
    south.scan(first, offer_id)
    north.confirm(first, offer_id)  # the first prize: into the first tier
    south.scan(second, offer_id)
    owner.call("POST", f"/api/branch-manager/void-stamp/{second}/{offer_id}", json={})
    north.scan(second, offer_id)
    north.scan(second, offer_id)

    day = today()
    start = (datetime.fromisoformat(day) - timedelta(days=6)).date().isoformat()
    expected = {
        "enrollments": 2,
        "stamps": 5,
        "voids": 1,
        "prizes": 1,
        "tierUpgrades": 1,
        "expired": 0,
        "reactivated": 0,
        "wonBack": 0,
        # Members as they stand now: two fresh passes, neither at risk nor near the inactivity limit.
        "atRisk": 0,
        "expiringSoon": 0,
    }

    def read() -> dict[str, Any]:
        response = stats(owner, offer_id, **{"from": start, "to": day})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    # The table stream counts each change a moment after it answered: wait until all of them are counted.
    body = eventually(read, lambda answer: at_least(expected)(answer["totals"]))
    assert (body["offerId"], body["from"], body["to"], body["timezone"]) == (offer_id, start, day, ZONE)
    assert body["totals"] == expected
    assert body["daily"][0]["date"] == start and len(body["daily"]) == 7
    assert body["daily"][-1] == {"date": day, "enrollments": 2, "stamps": 5, "voids": 1, "prizes": 1}
    assert all(d["stamps"] == 0 for d in body["daily"][:-1])
    assert body["byBranch"] == [
        {"branchId": "north", "branchName": "north", "stamps": 3, "voids": 0, "prizes": 1},
        {"branchId": "south", "branchName": "south", "stamps": 2, "voids": 0, "prizes": 0},
    ]
    members = body["members"]
    assert (members["active"], members["expired"], members["rewardReady"], members["noTier"]) == (2, 0, 1, 1)
    assert [(t["tierId"], t["count"]) for t in members["byTier"]] == [
        ("bronze", 1),
        ("silver", 0),
        ("gold", 0),
    ]

    only_north = stats(owner, offer_id, **{"from": day, "to": day, "branchId": "north"}).json()
    assert (only_north["totals"]["stamps"], only_north["totals"]["prizes"]) == (3, 1)
    assert only_north["byBranch"] == [
        {"branchId": "north", "branchName": "north", "stamps": 3, "voids": 0, "prizes": 1}
    ]

    # A new ladder re-ranks every member at once, in the stats too.
    ladder = {
        "enabled": True,
        "tiers": [
            {"id": "fan", "name": "Fan", "nameAr": "معجب", "minRewards": 1, "maxRewards": None, "icon": "⭐"}
        ],
    }
    assert owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=ladder).status_code == 200
    reranked = stats(owner, offer_id, **{"from": day, "to": day}).json()["members"]
    assert [(t["tierId"], t["count"]) for t in reranked["byTier"]] == [("fan", 1)]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"from": "2026-01-01"},
        {"from": "2026-02-30", "to": "2026-03-01"},
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"from": "2025-01-01", "to": "2026-01-02"},
    ],
)
def test_a_bad_range_is_422(owner: Counter, params: dict[str, str]) -> None:
    offer_id = owner.create_offer()
    response = stats(owner, offer_id, **params)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["details"]


def test_stats_are_the_owner_s_of_this_business_only(
    gateway: str, token, business_id: str, owner: Counter
) -> None:
    offer_id = owner.create_offer()
    window = {"from": "2026-01-01", "to": "2026-01-31"}
    assert stats(owner, offer_id, **window).status_code == 200
    assert stats(manager_at(gateway, token, business_id, "north"), offer_id, **window).status_code == 403
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    assert stats(stranger, offer_id, **window).status_code == 404
