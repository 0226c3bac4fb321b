"""Finding members fast through the local gateway: the start of a name or an email, a short code, the last-visit
order and the "reward ready" segment, read from the member directory the table's stream keeps."""

from __future__ import annotations

import uuid

import pytest

from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e


def members(counter: Counter, offer_id: str, **params: object) -> list[dict[str, object]]:
    page = counter.call("GET", f"/api/offers/{offer_id}/customers", params=params)
    assert page.status_code == 200, page.text
    items: list[dict[str, object]] = page.json()["items"]
    return items


def found(counter: Counter, offer_id: str, count: int, **params: object) -> list[dict[str, object]]:
    """The answer once the directory holds `count` matches (the stream writes entries a moment after a change)."""
    return eventually(lambda: members(counter, offer_id, **params), lambda items: len(items) >= count)


@pytest.fixture
def shop(gateway: str, owner: Counter, manager: Counter) -> tuple[str, dict[str, dict[str, object]]]:
    """An offer of 2 stamps and three members: Layla (full card), Omar, أحمد; their enroll answers by name."""
    offer_id = owner.create_offer(stamps_required=2)
    people: dict[str, dict[str, object]] = {}
    for name, email in (
        ("Layla Haddad", f"layla.{uuid.uuid4().hex[:6]}@example.com"),
        ("Omar Lane", f"omar.{uuid.uuid4().hex[:6]}@example.com"),
        ("أحمد علي", f"ahmad.{uuid.uuid4().hex[:6]}@example.com"),
    ):
        response = enroll(gateway, offer_id, email=email, name=name)
        assert response.status_code == 201, response.text
        people[name] = {**response.json(), "email": email}
    layla = str(people["Layla Haddad"]["customerId"])
    for _ in range(2):
        assert manager.scan(layla, offer_id).status_code == 200
    return offer_id, people


def test_the_start_of_a_name_or_an_email_finds_the_member_whatever_the_writing(owner: Counter, shop) -> None:
    offer_id, people = shop
    (layla,) = found(owner, offer_id, 1, q="LÁY")
    assert layla["customerId"] == people["Layla Haddad"]["customerId"]
    assert layla["email"] == people["Layla Haddad"]["email"]
    assert [m["name"] for m in members(owner, offer_id, q="hadd")] == ["Layla Haddad"]
    assert [m["name"] for m in members(owner, offer_id, q="omar.")] == ["Omar Lane"]
    assert [m["name"] for m in members(owner, offer_id, q="احمد")] == ["أحمد علي"]
    assert members(owner, offer_id, q="nobody") == []


def test_a_short_code_finds_its_pass_and_managers_see_emails_masked(manager: Counter, shop) -> None:
    offer_id, people = shop
    status = manager.status(str(people["Omar Lane"]["customerId"]), offer_id).json()
    code = str(status["shortCode"])
    (omar,) = found(manager, offer_id, 1, q=f"{code[:4].lower()}-{code[4:]}")
    assert (omar["name"], omar["shortCode"]) == ("Omar Lane", code)
    assert omar["email"] != people["Omar Lane"]["email"] and "***" in str(omar["email"])


def test_last_visit_order_and_reward_ready(owner: Counter, manager: Counter, shop) -> None:
    offer_id, people = shop
    omar = str(people["Omar Lane"]["customerId"])
    assert manager.scan(omar, offer_id).status_code == 200
    order = eventually(
        lambda: [m["name"] for m in members(owner, offer_id, sort="lastActivity")],
        lambda names: len(names) == 3 and names[0] == "Omar Lane",
    )
    assert order == ["Omar Lane", "Layla Haddad", "أحمد علي"]
    (ready,) = found(owner, offer_id, 1, segment="REWARD_READY")
    assert ready["name"] == "Layla Haddad" and ready["rewardReady"] is True
    assert manager.confirm(str(people["Layla Haddad"]["customerId"]), offer_id).status_code == 200
    assert (
        eventually(lambda: members(owner, offer_id, segment="REWARD_READY"), lambda items: items == []) == []
    )


def test_bad_queries_are_refused_in_words(owner: Counter, shop) -> None:
    offer_id, _ = shop
    for params in (
        {"sort": "name"},
        {"segment": "VIP"},
        {"q": "##"},
        {"sort": "lastActivity", "cursor": "x"},
    ):
        answer = owner.call("GET", f"/api/offers/{offer_id}/customers", params=params)
        assert answer.status_code in (400, 422), (params, answer.text)
        assert answer.json()["success"] is False
