"""The same Idempotency-Key sent about another pass is 422 IDEMPOTENCY_KEY_REUSED with the contract's error body,
and the other pass keeps its stamps (decision 0020a), through the local gateway: for a free-form key and for a key
in the scanner's form (`pass.<customerId>.<offerId>.<nonce>`), on scan and on void."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.support.counter import Counter, enroll

pytestmark = pytest.mark.e2e


@pytest.fixture
def offer_id(owner: Counter) -> str:
    return owner.create_offer(stamps_required=5)


def member(gateway: str, offer_id: str) -> str:
    response = enroll(gateway, offer_id)
    assert response.status_code == 201, response.text
    return str(response.json()["customerId"])


def void(counter: Counter, customer_id: str, offer_id: str, key: str) -> requests.Response:
    return counter.call(
        "POST", f"/api/branch-manager/void-stamp/{customer_id}/{offer_id}", headers={"Idempotency-Key": key}
    )


def stamps(counter: Counter, customer_id: str, offer_id: str) -> int:
    return int(counter.status(customer_id, offer_id).json()["progress"]["currentStamps"])


def assert_reused(response: requests.Response) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert body["error"]["message"]
    assert [detail["field"] for detail in body["error"]["details"]] == ["Idempotency-Key"]


def scanner_key(customer_id: str, offer_id: str) -> str:
    return f"pass.{customer_id}.{offer_id}.{uuid.uuid4().hex}"


def test_a_free_key_scanned_on_one_pass_is_refused_on_another(
    gateway: str, manager: Counter, offer_id: str
) -> None:
    p, q = member(gateway, offer_id), member(gateway, offer_id)
    key = f"till-3-{uuid.uuid4()}"
    first = manager.scan(p, offer_id, key)
    assert first.status_code == 200, first.text
    assert_reused(manager.scan(q, offer_id, key))
    assert manager.scan(p, offer_id, key).json() == first.json()  # on its own pass: the first answer again
    assert (stamps(manager, p, offer_id), stamps(manager, q, offer_id)) == (1, 0)


def test_the_scanner_s_key_for_one_pass_is_refused_on_another(
    gateway: str, manager: Counter, offer_id: str
) -> None:
    p, q = member(gateway, offer_id), member(gateway, offer_id)
    key = scanner_key(p, offer_id)
    first = manager.scan(p, offer_id, key)
    assert first.status_code == 200, first.text
    assert_reused(manager.scan(q, offer_id, key))
    again = manager.scan(p, offer_id, key)
    assert (again.status_code, again.json()) == (200, first.json())
    assert (stamps(manager, p, offer_id), stamps(manager, q, offer_id)) == (1, 0)


def test_a_void_s_key_is_refused_on_another_pass(gateway: str, owner: Counter, offer_id: str) -> None:
    p, q = member(gateway, offer_id), member(gateway, offer_id)
    for customer in (p, q):
        assert owner.scan(customer, offer_id).status_code == 200
        assert owner.scan(customer, offer_id).status_code == 200
    for key in (f"void-{uuid.uuid4()}", scanner_key(p, offer_id)):
        voided = void(owner, p, offer_id, key)
        assert voided.status_code == 200, voided.text
        assert_reused(void(owner, q, offer_id, key))
    assert (stamps(owner, p, offer_id), stamps(owner, q, offer_id)) == (0, 2)


def test_an_enroll_key_sent_again_to_join_another_offer_is_refused(gateway: str, owner: Counter) -> None:
    coffee, bagels = owner.create_offer(stamps_required=5), owner.create_offer(stamps_required=5)
    key = {"Idempotency-Key": f"join-{uuid.uuid4()}"}
    email = f"key-reuse-{uuid.uuid4().hex[:10]}@example.com"
    joined = enroll(gateway, coffee, email=email, headers=key)
    assert joined.status_code == 201, joined.text
    assert_reused(enroll(gateway, bagels, email=email, headers=key))
    assert (
        enroll(gateway, coffee, email=email, headers=key).json() == joined.json()
    )  # its own offer: replayed
    assert enroll(gateway, bagels, email=email).status_code == 201  # without the key: a new pass there
