"""The scanner's half of the product through the local gateway: enroll, scan, confirm, status."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from loyalty.adapters.dynamodb import keys
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e


@pytest.fixture
def customer_id(gateway: str, offer_id: str) -> str:
    response = enroll(gateway, offer_id)
    assert response.status_code == 201, response.text
    return str(response.json()["customerId"])


def fill(manager: Counter, customer_id: str, offer_id: str, stamps: int = 5) -> None:
    for _ in range(stamps):
        assert manager.scan(customer_id, offer_id).status_code == 200


def assert_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


# ---------------------------------------------------------------- enroll


def test_enroll_gives_a_new_pass_then_only_a_mail_for_it(gateway: str, offer_id: str) -> None:
    first = enroll(gateway, offer_id, email="Jane.Doe@Example.com", name="Jane")
    assert first.status_code == 201
    body = first.json()
    assert body["customerId"].startswith("cus_") and body["offerId"] == offer_id
    assert body["status"] == "ACTIVE"
    assert body["progress"] == {
        "currentStamps": 0,
        "maxStamps": 5,
        "rewardsClaimed": 0,
        "stampsEarned": 0,
        "stampsRequired": 5,
    }
    assert body["tier"]["currentTier"] is None and body["tier"]["nextTier"]["id"] == "bronze"
    assert body["customerId"] in body["qrPayload"]

    again = enroll(gateway, offer_id, email="  jane.doe@example.com ", name="Jane")
    assert again.status_code == 202
    assert again.json() == {"success": True, "status": "VERIFICATION_SENT"}


def test_the_same_customer_across_two_offers_of_a_business(gateway: str, owner: Counter) -> None:
    first, second = owner.create_offer(), owner.create_offer(stamps_required=8)
    a = enroll(gateway, first, email="sam@example.com").json()
    b = enroll(gateway, second, email="sam@example.com")
    assert b.status_code == 201
    assert b.json()["customerId"] == a["customerId"]
    assert b.json()["passSerial"] != a["passSerial"]
    assert b.json()["progress"]["maxStamps"] == 8


def test_enroll_in_an_unknown_offer_is_404(gateway: str) -> None:
    assert_error(enroll(gateway, "off_" + "a" * 26), 404, "OFFER_NOT_FOUND")
    assert_error(enroll(gateway, "not-an-id"), 404, "OFFER_NOT_FOUND")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Jane"}, "email"),
        ({"email": "not-an-email", "name": "Jane"}, "email"),
        ({"email": "a@example.com", "name": ""}, "name"),
        ({"email": "a@example.com", "name": 42}, "name"),
        ({"email": "a@example.com", "name": "Jane", "preferredLanguage": "fr"}, "preferredLanguage"),
        ({"email": ["a@example.com"], "name": "Jane"}, "email"),
    ],
)
def test_enroll_rejects_bad_fields_with_422(
    gateway: str, offer_id: str, body: dict[str, Any], field: str
) -> None:
    response = requests.post(f"{gateway}/api/offers/{offer_id}/enroll", json=body, timeout=10)
    error = assert_error(response, 422, "VALIDATION_ERROR")
    assert field in [d["field"] for d in error["error"]["details"]]


def test_enroll_rejects_malformed_json_with_400(gateway: str, offer_id: str) -> None:
    response = requests.post(
        f"{gateway}/api/offers/{offer_id}/enroll",
        data="{not json",
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert_error(response, 400, "MALFORMED_JSON")


def test_enroll_rejects_a_huge_body(gateway: str, offer_id: str) -> None:
    response = requests.post(
        f"{gateway}/api/offers/{offer_id}/enroll",
        json={"email": "a@example.com", "name": "x" * 200_000},
        timeout=10,
    )
    assert 400 <= response.status_code < 500
    assert response.json()["success"] is False


def test_enroll_retry_with_the_same_key_returns_the_first_answer(gateway: str, offer_id: str) -> None:
    headers = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"email": f"{uuid.uuid4().hex[:8]}@example.com", "name": "Kim"}
    url = f"{gateway}/api/offers/{offer_id}/enroll"
    first = requests.post(url, json=body, headers=headers, timeout=10)
    second = requests.post(url, json=body, headers=headers, timeout=10)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    other = requests.post(url, json={**body, "name": "Someone else"}, headers=headers, timeout=10)
    assert_error(other, 422, "IDEMPOTENCY_KEY_REUSED")


# ---------------------------------------------------------------- the cycle


def test_three_full_cycles_climb_the_default_ladder(
    gateway: str, manager: Counter, customer_id: str, offer_id: str
) -> None:
    answers = []
    for _ in range(3):
        for stamp in range(1, 6):
            scanned = manager.scan(customer_id, offer_id)
            assert scanned.status_code == 200
            assert scanned.json()["stampAwarded"] is True
            assert scanned.json()["progress"]["currentStamps"] == stamp
            assert scanned.json()["rewardReady"] is (stamp == 5)
        confirmed = manager.confirm(customer_id, offer_id)
        assert confirmed.status_code == 200
        answers.append(confirmed.json())

    first, second, third = answers
    assert first["tierUpgrade"]["from"] is None
    assert first["tierUpgrade"]["to"]["id"] == "bronze"
    assert "tierUpgrade" not in second
    assert third["tierUpgrade"]["from"]["id"] == "bronze"
    assert third["tierUpgrade"]["message"] == "Upgraded to 🥈 Silver Member"
    third.pop("tierUpgrade")
    third.pop("credentialIssuance", None)
    assert third == {
        "success": True,
        "progress": {
            "currentStamps": 0,
            "maxStamps": 5,
            "rewardsClaimed": 3,
            "stampsEarned": 0,
            "stampsRequired": 5,
        },
        "tier": {
            "currentTier": {
                "id": "silver",
                "name": "Silver Member",
                "nameAr": third["tier"]["currentTier"]["nameAr"],
                "icon": "🥈",
            },
            "rewardsClaimed": 3,
            "rewardsToNextTier": 3,
            "nextTier": {
                "id": "gold",
                "name": "Gold Member",
                "nameAr": third["tier"]["nextTier"]["nameAr"],
                "icon": "🥇",
            },
            "isTopTier": False,
        },
        "newCycleStarted": True,
        "totalCompletions": 3,
    }
    status = manager.status(customer_id, offer_id).json()
    assert status["lifetimeStamps"] == 15
    assert status["rewardReady"] is False
    assert status["tier"]["currentTier"]["id"] == "silver"


def test_pass_status_for_the_scanner_screen(
    gateway: str, manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id, 2)
    body = manager.status(customer_id, offer_id).json()
    assert set(body) == {
        "customerId",
        "offerId",
        "passSerial",
        "status",
        "progress",
        "tier",
        "rewardReady",
        "lastActivityAt",
        "memberSince",
        "lifetimeStamps",
        "shortCode",
        "name",
        "offerName",
        "offerNameAr",
    }
    assert (
        body["status"] == "ACTIVE" and body["progress"]["currentStamps"] == 2 and body["lifetimeStamps"] == 2
    )
    assert body["lastActivityAt"].endswith("Z") and body["lastActivityAt"] >= body["memberSince"]


def test_a_full_pass_takes_no_more_stamps(manager: Counter, customer_id: str, offer_id: str) -> None:
    fill(manager, customer_id, offer_id)
    body = assert_error(manager.scan(customer_id, offer_id), 409, "REWARD_READY")
    assert body["progress"]["currentStamps"] == 5
    assert manager.status(customer_id, offer_id).json()["lifetimeStamps"] == 5


def test_no_prize_below_a_full_pass(manager: Counter, customer_id: str, offer_id: str) -> None:
    fill(manager, customer_id, offer_id, 4)
    body = assert_error(manager.confirm(customer_id, offer_id), 409, "NOT_ENOUGH_STAMPS")
    assert body["progress"]["currentStamps"] == 4


def test_unknown_and_garbage_passes_are_404(manager: Counter, offer_id: str) -> None:
    assert_error(manager.scan("cus_" + "z" * 26, offer_id), 404, "PASS_NOT_FOUND")
    assert_error(manager.confirm("cus_" + "z" * 26, offer_id), 404, "PASS_NOT_FOUND")
    assert_error(manager.status("cus_" + "z" * 26, offer_id), 404, "PASS_NOT_FOUND")
    assert_error(manager.scan("'; DROP TABLE--", offer_id), 404, "PASS_NOT_FOUND")
    assert_error(manager.scan("cus_%F0%9F%98%80", "off_x"), 404, "PASS_NOT_FOUND")


def test_another_business_can_neither_read_nor_stamp_nor_confirm(
    gateway: str, token, manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id)
    stranger = Counter(gateway, token("manager", "biz_" + uuid.uuid4().hex[:20], branch_id="elsewhere"))
    for response in (
        stranger.status(customer_id, offer_id),
        stranger.scan(customer_id, offer_id),
        stranger.confirm(customer_id, offer_id),
    ):
        assert response.status_code in (403, 404)
        assert "progress" not in response.json()
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 5


def test_scan_ignores_a_body_and_rejects_a_huge_one(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    huge = manager.call("POST", f"/api/branch-manager/scan/{customer_id}/{offer_id}", data="x" * 100_000)
    assert huge.status_code == 413
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 0


def test_a_bad_idempotency_key_is_422(manager: Counter, customer_id: str, offer_id: str) -> None:
    assert_error(manager.scan(customer_id, offer_id, key="x" * 300), 422, "VALIDATION_ERROR")


# ---------------------------------------------------------------- idempotency and concurrency


def test_a_retried_scan_counts_once(manager: Counter, customer_id: str, offer_id: str) -> None:
    key = uuid.uuid4().hex
    first, second = manager.scan(customer_id, offer_id, key), manager.scan(customer_id, offer_id, key)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 1


def test_a_retried_scan_refused_on_a_full_pass_stays_refused(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id)
    key = uuid.uuid4().hex
    first = assert_error(manager.scan(customer_id, offer_id, key), 409, "REWARD_READY")
    assert manager.confirm(customer_id, offer_id).status_code == 200
    # The scanner's retry of that same visit: the first answer again, not a stamp on the new card.
    assert manager.scan(customer_id, offer_id, key).json() == first
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 0


def test_concurrent_retries_of_a_refused_scan_all_get_the_one_refusal(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id)
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda _: manager.scan(customer_id, offer_id, key), range(10)))
    assert {r.status_code for r in responses} == {409}
    assert len({r.text for r in responses}) == 1
    assert manager.status(customer_id, offer_id).json()["progress"]["currentStamps"] == 5


def test_a_retried_confirm_refused_below_a_full_pass_stays_refused(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id, stamps=4)
    key = uuid.uuid4().hex
    first = assert_error(manager.confirm(customer_id, offer_id, key), 409, "NOT_ENOUGH_STAMPS")
    fill(manager, customer_id, offer_id, stamps=1)
    assert manager.confirm(customer_id, offer_id, key).json() == first
    status = manager.status(customer_id, offer_id).json()
    assert (status["progress"]["currentStamps"], status["tier"]["rewardsClaimed"]) == (5, 0)
    assert_error(manager.scan(customer_id, offer_id, key), 422, "IDEMPOTENCY_KEY_REUSED")


def test_a_key_reused_for_another_request_is_422(manager: Counter, customer_id: str, offer_id: str) -> None:
    key = uuid.uuid4().hex
    assert manager.scan(customer_id, offer_id, key).status_code == 200
    assert_error(manager.confirm(customer_id, offer_id, key), 422, "IDEMPOTENCY_KEY_REUSED")


def test_ten_concurrent_retries_of_one_key_award_one_stamp(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    key = uuid.uuid4().hex
    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(pool.map(lambda _: manager.scan(customer_id, offer_id, key), range(10)))
    assert [r.status_code for r in responses] == [200] * 10
    assert len({r.text for r in responses}) == 1
    assert manager.status(customer_id, offer_id).json()["lifetimeStamps"] == 1


def test_twenty_managers_confirming_one_full_pass_at_once_give_one_prize(
    manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id)
    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(lambda _: manager.confirm(customer_id, offer_id), range(20)))
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 19
    assert all(r.json()["error"]["code"] == "NOT_ENOUGH_STAMPS" for r in responses if r.status_code == 409)
    status = manager.status(customer_id, offer_id).json()
    assert status["progress"]["rewardsClaimed"] == 1 and status["progress"]["currentStamps"] == 0


def test_sixty_concurrent_scans_on_an_empty_fifty_stamp_pass(
    gateway: str, owner: Counter, manager: Counter
) -> None:
    offer = owner.create_offer(stamps_required=50)
    customer = enroll(gateway, offer).json()["customerId"]
    with ThreadPoolExecutor(max_workers=60) as pool:
        responses = list(pool.map(lambda _: manager.scan(customer, offer, uuid.uuid4().hex), range(60)))
    codes = [r.status_code for r in responses]
    assert codes.count(200) == 50
    assert codes.count(409) == 10
    assert all(r.json()["error"]["code"] == "REWARD_READY" for r in responses if r.status_code == 409)
    status = manager.status(customer, offer).json()
    assert status["progress"]["currentStamps"] == 50 and status["lifetimeStamps"] == 50
    assert sorted(r.json()["progress"]["currentStamps"] for r in responses if r.status_code == 200) == list(
        range(1, 51)
    )


# ---------------------------------------------------------------- audit


def test_every_stamp_and_prize_leaves_an_audit_record(
    local_stack, manager: Counter, customer_id: str, offer_id: str
) -> None:
    fill(manager, customer_id, offer_id)
    assert manager.confirm(customer_id, offer_id).status_code == 200
    # The ledger (ledger, on the table's stream) writes the events.
    assert local_stack.poller.wait_idle(20) and local_stack.poller.wait_idle(20)
    ddb = local_stack.client("dynamodb")

    def read() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = ddb.query(
            TableName=local_stack.config.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :events)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.pass_partition(customer_id, offer_id)},
                ":events": {"S": "EVENT#"},
            },
            ConsistentRead=True,
        )["Items"]
        return found

    # The table stream writes each change's event a moment after it answered: enroll, five stamps, the prize.
    items = eventually(read, lambda found: len(found) >= 7)
    kinds = [i["kind"]["S"] for i in items]
    assert kinds.count("STAMP") == 5 and kinds.count("PRIZE") == 1 and kinds.count("ENROLL") == 1
    prize = next(i for i in items if i["kind"]["S"] == "PRIZE")
    assert prize["actor"]["S"] == "manager-1" and prize["branchId"]["S"] == "branch-1"
    assert prize["rewardsClaimed"]["N"] == "1" and prize["currentStamps"]["N"] == "0"
