"""Running an offer through the local gateway: edit, archive, cooldown, a new goal from the next cycle, and a
retried create that makes one offer."""

from __future__ import annotations

import uuid

import pytest

from tests.support.counter import Counter, enroll

pytestmark = pytest.mark.e2e


def joined(gateway: str, offer_id: str) -> str:
    response = enroll(gateway, offer_id)
    assert response.status_code == 201, response.text
    return str(response.json()["customerId"])


def test_an_edit_changes_only_what_it_names(owner: Counter) -> None:
    offer_id = owner.create_offer(stamps_required=5, nameAr="قهوة")
    response = owner.call(
        "PATCH",
        f"/api/offers/{offer_id}",
        json={"name": "Tea Card", "minMinutesBetweenStamps": 30, "timezone": "Asia/Riyadh"},
    )
    assert response.status_code == 200, response.text
    offer = response.json()
    assert (offer["name"], offer["nameAr"], offer["stampsRequired"]) == ("Tea Card", "قهوة", 5)
    assert (offer["minMinutesBetweenStamps"], offer["timezone"], offer["status"]) == (
        30,
        "Asia/Riyadh",
        "ACTIVE",
    )
    assert offer["updatedAt"] >= offer["createdAt"]
    assert owner.call("GET", f"/api/offers/{offer_id}").json() == offer


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"stampsRequired": 51}, "stampsRequired"),
        ({"minMinutesBetweenStamps": -1}, "minMinutesBetweenStamps"),
        ({"status": "DELETED"}, "status"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_edit_is_422_and_changes_nothing(owner: Counter, body: dict[str, object], field: str) -> None:
    offer_id = owner.create_offer()
    response = owner.call("PATCH", f"/api/offers/{offer_id}", json={"name": "Changed", **body})
    assert response.status_code == 422, response.text
    assert field in [detail["field"] for detail in response.json()["error"]["details"]]
    assert owner.call("GET", f"/api/offers/{offer_id}").json()["name"] == "Coffee Card"


def test_only_the_owner_of_the_business_edits(gateway: str, token, owner: Counter, manager: Counter) -> None:
    offer_id = owner.create_offer()
    assert manager.call("PATCH", f"/api/offers/{offer_id}", json={"name": "X"}).status_code == 403
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    response = stranger.call("PATCH", f"/api/offers/{offer_id}", json={"name": "X"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "OFFER_NOT_FOUND"


def test_an_archived_offer_takes_no_one_new_and_keeps_serving_its_members(
    gateway: str, owner: Counter, manager: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=1)
    member = joined(gateway, offer_id)
    assert owner.call("PATCH", f"/api/offers/{offer_id}", json={"status": "ARCHIVED"}).status_code == 200

    refused = enroll(gateway, offer_id)
    assert refused.status_code == 410
    assert refused.json()["error"]["code"] == "OFFER_ARCHIVED"
    assert manager.scan(member, offer_id).status_code == 200
    assert manager.confirm(member, offer_id).status_code == 200
    listed = owner.call("GET", "/api/offers").json()["items"]
    assert [o["status"] for o in listed if o["offerId"] == offer_id] == ["ARCHIVED"]

    assert owner.call("PATCH", f"/api/offers/{offer_id}", json={"status": "ACTIVE"}).status_code == 200
    assert enroll(gateway, offer_id).status_code == 201


def test_a_new_goal_applies_from_each_pass_next_cycle(gateway: str, owner: Counter, manager: Counter) -> None:
    offer_id = owner.create_offer(stamps_required=3)
    started, fresh = joined(gateway, offer_id), joined(gateway, offer_id)
    assert manager.scan(started, offer_id).status_code == 200
    assert owner.call("PATCH", f"/api/offers/{offer_id}", json={"stampsRequired": 5}).status_code == 200

    # A cycle already begun keeps its goal, to the prize.
    progress = manager.scan(started, offer_id).json()["progress"]
    assert (progress["currentStamps"], progress["maxStamps"]) == (2, 3)
    assert manager.scan(started, offer_id).json()["rewardReady"] is True
    after_prize = manager.confirm(started, offer_id).json()["progress"]
    assert (after_prize["currentStamps"], after_prize["maxStamps"]) == (0, 5)
    # A cycle not yet begun starts with the new goal; so does a new pass.
    assert manager.scan(fresh, offer_id).json()["progress"]["maxStamps"] == 5
    assert enroll(gateway, offer_id).json()["progress"]["maxStamps"] == 5


def test_a_stamp_within_the_cooldown_is_429_and_changes_nothing(
    gateway: str, owner: Counter, manager: Counter
) -> None:
    offer_id = owner.create_offer(stamps_required=5)
    owner.call("PATCH", f"/api/offers/{offer_id}", json={"minMinutesBetweenStamps": 10})
    member = joined(gateway, offer_id)
    first = manager.scan(member, offer_id)
    assert first.status_code == 200

    too_soon = manager.scan(member, offer_id)
    assert too_soon.status_code == 429, too_soon.text
    assert too_soon.json()["error"]["code"] == "STAMP_TOO_SOON"
    assert 590 <= int(too_soon.headers["Retry-After"]) <= 600
    (detail,) = too_soon.json()["error"]["details"]
    assert detail["field"] == "nextStampAt" and detail["message"].endswith("Z")
    assert manager.status(member, offer_id).json()["progress"]["currentStamps"] == 1

    # Turning the cooldown off lets the next visit in at once.
    owner.call("PATCH", f"/api/offers/{offer_id}", json={"minMinutesBetweenStamps": 0})
    assert manager.scan(member, offer_id).status_code == 200


def test_concurrent_scans_under_a_cooldown_give_one_stamp(
    gateway: str, owner: Counter, manager: Counter
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    offer_id = owner.create_offer(stamps_required=10)
    owner.call("PATCH", f"/api/offers/{offer_id}", json={"minMinutesBetweenStamps": 5})
    member = joined(gateway, offer_id)
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(lambda _: manager.scan(member, offer_id).status_code, range(8)))
    assert statuses == [200] + [429] * 7
    assert manager.status(member, offer_id).json()["progress"]["currentStamps"] == 1


def test_a_retried_create_gives_the_first_answer_and_one_offer(owner: Counter) -> None:
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"name": "Bagels", "stampsRequired": 6}
    first = owner.call("POST", "/api/offers", json=body, headers=key)
    again = owner.call("POST", "/api/offers", json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    names = [o["name"] for o in owner.call("GET", "/api/offers").json()["items"]]
    assert names.count("Bagels") == 1

    other = owner.call("POST", "/api/offers", json={**body, "stampsRequired": 7}, headers=key)
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
