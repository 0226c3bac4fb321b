"""A retried scan whose first answer others have moved past gets that answer from what the stamp's own write kept
beside its key: one request, with the ledger stopped (nothing drains the stream here), against DynamoDB Local."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import StoredAnswer
from loyalty.app.passes.commands import Actor
from loyalty.app.ports.passes import ChangeNote, PassChange
from loyalty.domain.bound_keys import bound_key
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass
from tests.support.fakes import FrozenClock
from tests.support.pass_actions import confirm_prize, scan
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

BUSINESS = "biz_replaybusiness01"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")


class CountingClient:
    """The DynamoDB client, counting the requests made through it."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def enrolled(store: DynamoPassStore, stamps_required: int = 5) -> Pass:
    pass_ = fresh_pass(
        stamps_required, customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS
    )
    store.commit(
        PassChange(
            pass_=pass_,
            expected_version=None,
            note=ChangeNote("ENROLL", "customer"),
            answer=StoredAnswer(201, {}),
        )
    )
    return pass_


def test_a_retry_after_other_stamps_gets_its_first_answer_in_one_request_with_the_ledger_stopped(
    ddb: Any, table_name: str
) -> None:
    clock, client = FrozenClock(), CountingClient(ddb)
    store = DynamoPassStore(client, table_name)
    pass_ = enrolled(store)
    # Keys in the scanner's form (they name the pass: no key item is claimed, decision 0020a).
    lost, another = (
        bound_key(pass_.customer_id, pass_.offer_id, nonce) for nonce in ("lost" * 5, "another" * 3)
    )
    first = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, lost, offers=lambda _: None)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, offers=lambda _: None)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, another, offers=lambda _: None)
    client.calls.clear()
    retried = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, lost, offers=lambda _: None)
    assert retried == first
    assert first.body["progress"]["currentStamps"] == 1
    assert client.calls == ["update_item"]  # the refused stamp's own write: no read, no wait for an event
    # Nothing changed: the pass still has the three stamps, and no audit event was needed.
    assert store.get_pass(pass_.customer_id, pass_.offer_id).current_stamps == 3  # type: ignore[union-attr]
    assert store.events(pass_.customer_id, pass_.offer_id, limit=10)[0] == []


def test_a_retry_after_the_prize_still_shows_the_full_pass_it_filled(ddb: Any, table_name: str) -> None:
    clock, store = FrozenClock(), DynamoPassStore(ddb, table_name)
    pass_ = enrolled(store, stamps_required=1)
    filled = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "fills-it", offers=lambda _: None)
    confirm_prize(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, offers=lambda _: None)
    retried = scan(
        store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "fills-it", offers=lambda _: None
    )
    assert retried == filled
    assert (retried.body["rewardReady"], retried.body["progress"]["rewardsClaimed"]) == (True, 0)
