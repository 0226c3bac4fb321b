"""A retried scan whose first answer others have moved past is answered from that stamp's audit event, which the
ledger writes from the stream: the same answer, against DynamoDB Local."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import StoredAnswer
from loyalty.app.passes.commands import Actor
from loyalty.app.ports.passes import ChangeNote, PassChange
from loyalty.domain.ids import new_id
from loyalty_local.cloud.ledger_drain import drain
from tests.support.fakes import FrozenClock
from tests.support.pass_actions import scan
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

BUSINESS = "biz_replaybusiness01"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")


def test_a_retry_after_other_stamps_gets_the_first_answer_from_the_stamps_event(
    ddb: Any, table_name: str
) -> None:
    clock = FrozenClock()
    store = DynamoPassStore(ddb, table_name)
    card = fresh_pass(customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS)
    store.commit(
        PassChange(
            card=card,
            expected_version=None,
            note=ChangeNote("ENROLL", "customer"),
            answer=StoredAnswer(201, {}),
        )
    )
    first = scan(store, clock, MANAGER, card.customer_id, card.offer_id, "lost-answer", offers=lambda _: None)
    scan(store, clock, MANAGER, card.customer_id, card.offer_id, offers=lambda _: None)
    drain(ddb, table_name)  # the ledger writes both stamps' events
    retried = scan(
        store, clock, MANAGER, card.customer_id, card.offer_id, "lost-answer", offers=lambda _: None
    )
    assert retried == first
    assert first.body["progress"]["currentStamps"] == 1
    assert store.get_pass(card.customer_id, card.offer_id).current_stamps == 2  # type: ignore[union-attr]
