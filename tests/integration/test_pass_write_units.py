"""What a pass write costs in DynamoDB Local's own accounting (`ReturnConsumedCapacity=INDEXES`): a scan is one
write unit while the pass stays under 1 KB and its activity-index entry stays in its month (decisions 0021, 0021a),
also right after a keyed void, whose answer the pass no longer keeps whole."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import IdempotencyKeyReused, Replayed, StoredAnswer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes.commands import Actor, Scan, VoidStamp
from loyalty.domain.clock import to_iso
from loyalty.domain.pass_results import StampVoided
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.ledger_drain import drain
from tests.support.offers import create_offer
from tests.support.pass_actions import enroll

pytestmark = pytest.mark.integration

BUSINESS = "biz_writeunits00000001"
# A Cognito `sub` (a UUID) and a branch named as the tests' branches are; every stamp mark and change note holds them.
MANAGER = Actor("0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", BUSINESS, "branch-north")
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday, the first of a month


@dataclass
class Units:
    """Write units of the last write, as DynamoDB Local reports them: the table's and each index's."""

    table: float = 0.0
    indexes: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.table + sum(self.indexes.values())


@pytest.fixture
def metered(ddb: Any) -> Iterator[tuple[Any, Units]]:
    units = Units()

    def ask(params: dict[str, Any], **_: Any) -> None:
        params["ReturnConsumedCapacity"] = "INDEXES"

    def seen(parsed: dict[str, Any], **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity") or {}
        units.table = float(consumed.get("Table", {}).get("CapacityUnits", 0.0))
        indexes = consumed.get("GlobalSecondaryIndexes", {})
        units.indexes = {name: float(entry.get("CapacityUnits", 0.0)) for name, entry in indexes.items()}

    events = ddb.meta.events
    events.register("provide-client-params.dynamodb.UpdateItem", ask)
    events.register("after-call.dynamodb.UpdateItem", seen)
    yield ddb, units
    events.unregister("provide-client-params.dynamodb.UpdateItem", ask)
    events.unregister("after-call.dynamodb.UpdateItem", seen)


def at(moment: datetime) -> Any:
    return lambda: moment


def enrolled(store: DynamoPassStore, offers: DynamoOfferStore) -> tuple[str, str]:
    """A customer with a longer email and name than most, on a 10-stamp offer."""
    offer = create_offer(offers, BUSINESS, {"name": "Coffee", "stampsRequired": 10}, clock=at(START))
    form = EnrollmentRequest(email="firstname.lastname@mail.example.com", name="Firstname Lastname")
    body = enroll(store, at(START), offer.offer_id, form, RecoveryMail.never_mailing()).body
    return str(body["customerId"]), offer.offer_id


def answer_of(outcome: StampVoided | Replayed) -> StoredAnswer:
    return outcome.answer if isinstance(outcome, Replayed) else render_pass(outcome)


def test_a_scan_after_a_keyed_void_is_one_write_unit(metered: tuple[Any, Units], table_name: str) -> None:
    ddb, units = metered
    store, offers = DynamoPassStore(ddb, table_name), DynamoOfferStore(ddb, table_name)
    customer, offer = enrolled(store, offers)
    for n in range(5):  # a visit a day, each under a key (the pass keeps about two days of keys)
        moment = START + timedelta(days=n)
        pass_actions.scan(
            store, at(moment), Scan(MANAGER, customer, offer, f"scan-{n:04d}-abcdef"), render_pass
        )
    void_at = at(START + timedelta(days=4, minutes=10))  # a manager's void: within 15 minutes
    void = VoidStamp(MANAGER, customer, offer, "stamped by mistake at the wrong counter", "void-0001-abcdef")
    first = answer_of(pass_actions.void_stamp(store, void_at, void, render_pass))

    later = at(START + timedelta(days=4, minutes=20))
    pass_actions.scan(store, later, Scan(MANAGER, customer, offer, "scan-0009-abcdef"), render_pass)

    assert (units.table, units.indexes.get("GSI1", 0.0)) == (1.0, 0.0), "the pass stayed under 1 KB"
    drain(ddb, table_name)  # the ledger writes the void's event, from which its answer is drawn again
    again = answer_of(pass_actions.void_stamp(store, void_at, void, render_pass))
    assert (again.status, again.body) == (first.status, first.body), "the retry gets the void's first answer"
    assert first.body["stampVoided"] is True and first.body["progress"]["currentStamps"] == 4
    reused = VoidStamp(MANAGER, customer, offer, "another reason", "void-0001-abcdef")
    with pytest.raises(IdempotencyKeyReused):
        pass_actions.void_stamp(store, void_at, reused, render_pass)


def test_a_first_scan_of_the_week_moves_no_index_entry_within_the_month(
    metered: tuple[Any, Units], table_name: str
) -> None:
    ddb, units = metered
    store, offers = DynamoPassStore(ddb, table_name), DynamoOfferStore(ddb, table_name)
    customer, offer = enrolled(store, offers)
    spent = []
    for week in range(1, 5):  # Mondays 8, 15, 22 and 29 March: each a card's first scan of its week
        pass_actions.scan(
            store, at(START + timedelta(weeks=week)), Scan(MANAGER, customer, offer), render_pass
        )
        spent.append(units.total)
    april = at(datetime(2027, 4, 5, 9, 0, tzinfo=UTC))
    pass_actions.scan(store, april, Scan(MANAGER, customer, offer), render_pass)

    assert spent == [1.0] * 4
    assert (units.table, units.indexes.get("GSI1")) == (1.0, 2.0), "April's first scan moves the entry"
    assert to_iso(START).startswith("2027-03")
