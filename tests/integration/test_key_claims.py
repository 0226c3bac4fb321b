"""A free-form Idempotency-Key is claimed for one request on one pass before the write (decision 0020a), against
DynamoDB Local: the key item's condition, a race of two requests with one key on two passes, and what a scan
costs in requests with each form of key."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item, to_item
from loyalty.adapters.dynamodb.key_claims import claim_key_of, claim_put
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import IdempotencyKeyReused, IdempotentRequest, StoredAnswer
from loyalty.app.passes.commands import Actor
from loyalty.app.ports.passes import ChangeNote, PassChange
from loyalty.domain.bound_keys import bound_key
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass
from tests.integration.test_stamp_replay import CountingClient
from tests.support.fakes import FrozenClock
from tests.support.pass_actions import scan, void_stamp
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

BUSINESS = "biz_keyclaimsbusiness"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")
OWNER = Actor("owner-sub", BUSINESS, None, is_owner=True)
NO_OFFER = {"offers": lambda _: None}
AT = "2027-03-01T09:00:00.000Z"


def enrolled(store: DynamoPassStore) -> Pass:
    pass_ = fresh_pass(5, customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS)
    store.commit(
        PassChange(
            pass_=pass_,
            expected_version=None,
            note=ChangeNote("ENROLL", "customer"),
            answer=StoredAnswer(201, {}),
        )
    )
    return pass_


def stamps_of(store: DynamoPassStore, pass_: Pass) -> int:
    stored = store.get_pass(pass_.customer_id, pass_.offer_id)
    assert stored is not None
    return stored.current_stamps


def scan_request(key: str, address: tuple[str, str]) -> IdempotentRequest:
    return IdempotentRequest.of(BUSINESS, key, "scan", {"customerId": address[0], "offerId": address[1]})


def test_the_key_item_holds_for_its_request_and_pass_only(ddb: Any, table_name: str) -> None:
    store = DynamoPassStore(ddb, table_name)
    here, there = (new_id("cus"), new_id("off")), (new_id("cus"), new_id("off"))
    request = scan_request("free-1", here)
    store.claim_key(here, request, AT)
    store.claim_key(here, request, AT)  # the same request again (a retry): its own claim holds
    with pytest.raises(IdempotencyKeyReused):
        store.claim_key(there, scan_request("free-1", there), AT)  # another pass
    void = IdempotentRequest.of(BUSINESS, "free-1", "void-stamp", {"customerId": here[0], "offerId": here[1]})
    with pytest.raises(IdempotencyKeyReused):
        store.claim_key(here, void, AT)  # another request on the same pass
    item = from_item(
        ddb.get_item(TableName=table_name, Key=to_item(claim_key_of(request)), ConsistentRead=True)["Item"]
    )
    assert (item["entity"], item["pass"], item["fingerprint"]) == (
        "KEY_CLAIM",
        f"{here[0]}#{here[1]}",
        request.fingerprint,
    )
    # Kept as long as the contract keeps keys (24 h), then left to TTL.
    assert abs(int(item["expiresAt"]) - (int(time.time()) + 24 * 3600)) < 60
    # Another business's same key is another key.
    DynamoPassStore(ddb, table_name).claim_key(
        there, IdempotentRequest.of("biz_otherbusiness01", "free-1", "scan", {}), AT
    )


def test_an_expired_claim_that_ttl_has_not_deleted_yet_no_longer_holds_the_key(
    ddb: Any, table_name: str
) -> None:
    here, there = (new_id("cus"), new_id("off")), (new_id("cus"), new_id("off"))
    stale = claim_put(table_name, here, scan_request("old", here), AT, 24)
    stale["Item"]["expiresAt"] = {"N": str(int(time.time()) - 1)}
    ddb.put_item(**stale)
    DynamoPassStore(ddb, table_name).claim_key(there, scan_request("old", there), AT)


def test_two_scans_racing_with_one_free_key_on_two_passes_give_exactly_one_stamp(
    ddb: Any, table_name: str
) -> None:
    store = DynamoPassStore(ddb, table_name)

    def racing(key: str, passes: list[Pass]) -> list[int]:
        start = Barrier(len(passes))

        def one(pass_: Pass) -> int:
            start.wait()
            try:
                answer = scan(
                    store, FrozenClock(), MANAGER, pass_.customer_id, pass_.offer_id, key, **NO_OFFER
                )
            except IdempotencyKeyReused:
                return 422
            return answer.status

        with ThreadPoolExecutor(max_workers=len(passes)) as pool:
            return sorted(pool.map(one, passes))

    for attempt in range(5):
        passes = [enrolled(store) for _ in range(2)]
        assert racing(f"raced-{attempt}", passes) == [200, 422]
        assert sorted(stamps_of(store, pass_) for pass_ in passes) == [0, 1]


def test_a_free_key_costs_the_scan_one_claim_and_the_scanner_s_key_none(ddb: Any, table_name: str) -> None:
    client = CountingClient(ddb)
    store = DynamoPassStore(client, table_name)
    pass_ = enrolled(store)
    address = (pass_.customer_id, pass_.offer_id)
    client.calls.clear()
    scan(store, FrozenClock(), MANAGER, *address, bound_key(*address, "a" * 32), **NO_OFFER)
    assert client.calls == ["update_item"]
    client.calls.clear()
    scan(store, FrozenClock(), MANAGER, *address, "free-form-key", **NO_OFFER)
    assert client.calls == ["put_item", "update_item"]
    client.calls.clear()
    # The scanner's key naming another pass: refused with no request at all.
    with pytest.raises(IdempotencyKeyReused):
        scan(
            store,
            FrozenClock(),
            MANAGER,
            *address,
            bound_key(new_id("cus"), pass_.offer_id, "b" * 32),
            **NO_OFFER,
        )
    assert client.calls == []
    assert stamps_of(store, pass_) == 2


def test_a_void_s_free_key_is_refused_on_another_pass_and_takes_nothing_there(
    ddb: Any, table_name: str
) -> None:
    store = DynamoPassStore(ddb, table_name)
    first, second = enrolled(store), enrolled(store)
    for pass_ in (first, second):
        scan(store, FrozenClock(), MANAGER, pass_.customer_id, pass_.offer_id, **NO_OFFER)
    void_stamp(store, FrozenClock(), OWNER, first.customer_id, first.offer_id, key="void-key", **NO_OFFER)
    with pytest.raises(IdempotencyKeyReused):
        void_stamp(
            store, FrozenClock(), OWNER, second.customer_id, second.offer_id, key="void-key", **NO_OFFER
        )
    assert (stamps_of(store, first), stamps_of(store, second)) == (0, 1)
