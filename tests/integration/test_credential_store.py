"""Issuance records in DynamoDB Local: written atomically with their cause, moved only forward."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.issuances import DynamoIssuanceStore, issuance_put
from loyalty.domain.credentials import (
    FAILED,
    ONCHAIN,
    TIMED_OUT,
    WAIT_ONCHAIN,
    Issuance,
    IssuanceAlreadyFinal,
    IssuanceNotFound,
    upgrade_issuance_id,
)
from loyalty.entrypoints.http.render import issuance_record

pytestmark = pytest.mark.integration

CUSTOMER = "cus_" + "c" * 26
OFFER = "off_" + "o" * 26
BUSINESS = "biz_" + "b" * 26
EMAIL = "Jane.Doe@Example.com"


def issuance(claimed: int, created_at: str, tier: str = "gold") -> Issuance:
    return Issuance(
        issuance_id=upgrade_issuance_id(CUSTOMER, OFFER, claimed),
        customer_id=CUSTOMER,
        offer_id=OFFER,
        business_id=BUSINESS,
        tier_id=tier,
        tier_name=tier.title(),
        subject={"tier": tier.title(), "lifetimePoints": claimed * 5, "memberSince": "2026-01-01"},
        created_at=created_at,
        updated_at=created_at,
    )


@pytest.fixture
def store(ddb: Any, table_name: str) -> DynamoIssuanceStore:
    return DynamoIssuanceStore(ddb, table_name)


def test_the_issuance_is_written_in_the_transaction_of_its_cause_and_only_once(
    ddb: Any, table_name: str, store: DynamoIssuanceStore
) -> None:
    gold = issuance(6, "2026-11-23T10:00:00.000Z")
    cause = {"Put": {"TableName": table_name, "Item": to_item({"PK": "PASS#x", "SK": "PASS", "version": 1})}}
    ddb.transact_write_items(TransactItems=[cause, issuance_put(table_name, gold, EMAIL)])

    found, email = store.with_recipient(gold.issuance_id)
    assert found == gold
    assert email == "jane.doe@example.com"
    assert "example" not in str(issuance_record(found))

    with pytest.raises(ClientError) as again:
        ddb.transact_write_items(TransactItems=[issuance_put(table_name, gold, EMAIL)])
    assert again.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert store.create(gold, EMAIL) is False


def test_the_life_cycle_only_moves_forward(store: DynamoIssuanceStore) -> None:
    gold = issuance(6, "2026-11-23T10:00:00.000Z")
    store.create(gold, EMAIL)
    assert store.count_attempt(gold.issuance_id, "2026-11-23T10:00:01.000Z").attempts == 1
    waiting = store.move(gold.issuance_id, WAIT_ONCHAIN, "2026-11-23T10:00:02.000Z", core_claim_hash="0xabc")
    assert (waiting.status, waiting.core_claim_hash, waiting.updated_at) == (
        WAIT_ONCHAIN,
        "0xabc",
        "2026-11-23T10:00:02.000Z",
    )
    with pytest.raises(IssuanceAlreadyFinal):
        store.count_attempt(gold.issuance_id, "2026-11-23T10:00:03.000Z")

    done = store.move(gold.issuance_id, ONCHAIN, "2026-11-23T10:00:09.000Z")
    assert done.status == ONCHAIN
    assert done.attempts == 1
    assert store.move(gold.issuance_id, ONCHAIN, "2026-11-23T10:00:10.000Z").updated_at == done.updated_at
    for later in (WAIT_ONCHAIN, FAILED, TIMED_OUT):
        with pytest.raises(IssuanceAlreadyFinal):
            store.move(gold.issuance_id, later, "2026-11-23T10:01:00.000Z", error="too late")
    assert store.get(gold.issuance_id) == done


def test_a_failure_keeps_its_reason(store: DynamoIssuanceStore) -> None:
    gold = issuance(6, "2026-11-23T10:00:00.000Z")
    store.create(gold, EMAIL)
    failed = store.move(
        gold.issuance_id, FAILED, "2026-11-23T10:00:05.000Z", error="AIR Kit answered 401:  bad\nkid"
    )
    assert failed.error == "AIR Kit answered 401: bad kid"
    assert issuance_record(failed)["error"] == "AIR Kit answered 401: bad kid"


def test_two_outcomes_at_once_leave_exactly_one(store: DynamoIssuanceStore) -> None:
    gold = issuance(6, "2026-11-23T10:00:00.000Z")
    store.create(gold, EMAIL)
    store.move(gold.issuance_id, WAIT_ONCHAIN, "2026-11-23T10:00:01.000Z", core_claim_hash="0x1")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def settle(status: str) -> None:
        barrier.wait()
        try:
            store.move(gold.issuance_id, status, "2026-11-23T10:00:09.000Z")
            outcomes.append(status)
        except IssuanceAlreadyFinal:
            outcomes.append("refused")

    threads = [threading.Thread(target=settle, args=(s,)) for s in (ONCHAIN, TIMED_OUT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("refused") == 1
    final = store.get(gold.issuance_id)
    assert final is not None
    assert final.status in outcomes


def test_a_pass_lists_its_issuances_in_order(
    store: DynamoIssuanceStore,
) -> None:
    bronze = issuance(1, "2026-11-23T10:00:00.000Z", "bronze")
    silver = issuance(3, "2026-11-23T10:00:01.000Z", "silver")
    gold = issuance(6, "2026-11-23T10:00:02.000Z", "gold")
    for item in (gold, bronze, silver):
        store.create(item, EMAIL)
    assert [i.tier_id for i in store.of_pass(CUSTOMER, OFFER)] == ["bronze", "silver", "gold"]
    assert store.of_pass(CUSTOMER, "off_" + "n" * 26) == []


def test_unknown_issuances(store: DynamoIssuanceStore) -> None:
    missing = "iss_" + "z" * 26
    assert store.get(missing) is None
    with pytest.raises(IssuanceNotFound):
        store.with_recipient(missing)
    with pytest.raises(IssuanceNotFound):
        store.move(missing, ONCHAIN, "2026-11-23T10:00:00.000Z")
