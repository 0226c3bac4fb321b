"""Taking back a mistaken stamp, and the pass's audit trail, through the local gateway."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def other_branch(gateway: str, token, business_id: str) -> Counter:
    return Counter(gateway, token("manager", business_id, branch_id="branch-2", sub="manager-2"))


@pytest.fixture
def offer_id(owner: Counter) -> str:
    return owner.create_offer(stamps_required=3)


@pytest.fixture
def member(gateway: str, offer_id: str) -> str:
    response = enroll(gateway, offer_id)
    assert response.status_code == 201, response.text
    return str(response.json()["customerId"])


def void(counter: Counter, member: str, offer_id: str, key: str | None = None, **body: object):
    headers = {"Idempotency-Key": key} if key else {}
    return counter.call(
        "POST", f"/api/branch-manager/void-stamp/{member}/{offer_id}", json=body or None, headers=headers
    )


def ledgered(local_stack) -> None:
    """The events are written by the ledger (ledger, on the table's stream): wait for it."""
    assert local_stack.poller.wait_idle(20) and local_stack.poller.wait_idle(20)


def history(counter: Counter, member: str, offer_id: str, **params: object):
    return counter.call("GET", f"/api/branch-manager/passes/{member}/{offer_id}/history", params=params)


def events(counter: Counter, member: str, offer_id: str, count: int) -> list[dict[str, object]]:
    """The pass's history, newest first, once at least `count` events are there: the table stream writes each
    change's event a moment after the change answered. Callers assert the exact list."""

    def read() -> list[dict[str, object]]:
        page = history(counter, member, offer_id, limit=100)
        assert page.status_code == 200, page.text
        items: list[dict[str, object]] = page.json()["items"]
        return items

    return eventually(read, lambda items: len(items) >= count)


def test_a_void_takes_one_stamp_back_and_leaves_an_event(
    local_stack, manager: Counter, member: str, offer_id: str
) -> None:
    manager.scan(member, offer_id)
    manager.scan(member, offer_id)
    response = void(manager, member, offer_id, reason="scanned twice")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["stampVoided"] is True
    assert body["progress"]["currentStamps"] == 1
    status = manager.status(member, offer_id).json()
    assert (status["progress"]["currentStamps"], status["lifetimeStamps"]) == (1, 1)

    latest = events(manager, member, offer_id, 4)[0]  # enroll, two stamps, the void
    assert (latest["kind"], latest["actor"], latest["branchId"], latest["reason"]) == (
        "VOID",
        "manager-1",
        "branch-1",
        "scanned twice",
    )
    assert (latest["currentStamps"], latest["lifetimeStamps"]) == (1, 1)


def test_nothing_to_void_at_zero_and_a_prize_is_never_undone(
    owner: Counter, manager: Counter, member: str, offer_id: str
) -> None:
    refused = void(owner, member, offer_id)
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "NOTHING_TO_VOID"
    for _ in range(3):
        manager.scan(member, offer_id)
    assert manager.confirm(member, offer_id).status_code == 200
    again = void(owner, member, offer_id)
    assert again.status_code == 409 and again.json()["error"]["code"] == "NOTHING_TO_VOID"
    assert manager.status(member, offer_id).json()["progress"]["rewardsClaimed"] == 1


def test_a_manager_voids_only_their_own_branch_stamp(
    owner: Counter, manager: Counter, other_branch: Counter, member: str, offer_id: str
) -> None:
    manager.scan(member, offer_id)
    refused = void(other_branch, member, offer_id)
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "VOID_NOT_ALLOWED"
    # An owner may take back any stamp of the cycle.
    assert void(owner, member, offer_id).status_code == 200


def test_a_retried_void_takes_back_one_stamp(manager: Counter, member: str, offer_id: str) -> None:
    manager.scan(member, offer_id)
    manager.scan(member, offer_id)
    key = uuid.uuid4().hex
    first = void(manager, member, offer_id, key, reason="oops")
    again = void(manager, member, offer_id, key, reason="oops")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert manager.status(member, offer_id).json()["progress"]["currentStamps"] == 1
    other = void(manager, member, offer_id, key, reason="another")
    assert other.status_code == 422 and other.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"


def test_twenty_concurrent_voids_of_one_stamp_give_one_success(
    local_stack, owner: Counter, member: str, offer_id: str
) -> None:
    owner.scan(member, offer_id)
    with ThreadPoolExecutor(20) as pool:
        statuses = sorted(pool.map(lambda _: void(owner, member, offer_id).status_code, range(20)))
    assert statuses == [200] + [409] * 19
    kinds = [event["kind"] for event in events(owner, member, offer_id, 3)]
    assert kinds == ["VOID", "STAMP", "ENROLL"]


def test_a_long_reason_or_an_unknown_field_is_422(manager: Counter, member: str, offer_id: str) -> None:
    manager.scan(member, offer_id)
    assert void(manager, member, offer_id, reason="x" * 201).status_code == 422
    assert void(manager, member, offer_id, why="no").status_code == 422
    assert manager.status(member, offer_id).json()["progress"]["currentStamps"] == 1


def test_history_pages_newest_first_with_a_signed_cursor(
    local_stack, manager: Counter, owner: Counter, member: str, offer_id: str
) -> None:
    for _ in range(3):
        manager.scan(member, offer_id)
    manager.confirm(member, offer_id)
    manager.scan(member, offer_id)
    void(manager, member, offer_id)
    events(manager, member, offer_id, 7)  # every change's event is written before the pages are read
    seen: list[dict[str, object]] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = history(manager, member, offer_id, **params)
        assert page.status_code == 200, page.text
        seen.extend(page.json()["items"])
        cursor = page.json()["nextCursor"]
        if cursor is None:
            break
        tampered = history(
            manager, member, offer_id, cursor=cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB")
        )
        assert tampered.status_code == 400
    assert [event["kind"] for event in seen] == [
        "VOID",
        "STAMP",
        "PRIZE",
        "STAMP",
        "STAMP",
        "STAMP",
        "ENROLL",
    ]
    assert [event["at"] for event in seen] == sorted((event["at"] for event in seen), reverse=True)
    assert len({event["eventId"] for event in seen}) == len(seen)


def test_another_business_sees_no_history_or_void(gateway: str, token, member: str, offer_id: str) -> None:
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    assert history(stranger, member, offer_id).status_code == 404
    assert void(stranger, member, offer_id).status_code == 404
