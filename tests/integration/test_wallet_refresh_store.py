"""The wallet refresh's adapters against real parts: the offer's passes on DynamoDB Local (the members index, GSI4,
as template.yaml defines it), and the refresh queue on moto server's SQS with the template's redrive policy."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import replace
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.keys import pass_key
from loyalty.adapters.dynamodb.offer_passes import OfferPassStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.sqs.refresh_queue import SqsRefreshQueue
from loyalty.app.wallets.refresh import PlanRefresh, RedrawPasses, parse_message
from loyalty.domain.passes import PassStatus
from loyalty_local.cloud.queues import QueuePoller, create_queues
from tests.support.google_service_account import sample_offer, sample_pass

pytestmark = pytest.mark.integration

OFFER = sample_offer()
OTHER = replace(OFFER, offer_id="off_otheroffer00000000000000")


def customer(n: int) -> str:
    return f"cus_{n:026d}"


@pytest.fixture
def store(ddb: Any, table_name: str) -> OfferPassStore:
    for n in range(7):
        ddb.put_item(TableName=table_name, Item=pass_to_item(sample_pass(OFFER, customer_id=customer(n))))
    ddb.put_item(TableName=table_name, Item=pass_to_item(sample_pass(OTHER, customer_id=customer(99))))
    expired = sample_pass(OFFER, customer_id=customer(50), status=PassStatus.EXPIRED)
    ddb.put_item(TableName=table_name, Item=pass_to_item(expired))
    return OfferPassStore(ddb, table_name)


def test_the_offers_passes_are_listed_page_by_page(store: OfferPassStore) -> None:
    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        page = store.customer_ids(OFFER.offer_id, after=after, limit=3)
        seen.extend(page.customer_ids)
        pages += 1
        if page.after is None:
            break
        after = page.after
    assert seen == [customer(n) for n in range(7)]  # only this offer's active passes, each once
    assert pages <= 3


def test_a_page_of_ended_passes_lists_none_and_leads_on(
    store: OfferPassStore, ddb: Any, table_name: str
) -> None:
    """The status filter runs after the Limit: a page may list nothing and still say where to go on."""
    for n in range(60, 64):  # enrolled before everyone else, now expired
        old = sample_pass(
            OFFER, customer_id=customer(n), status=PassStatus.EXPIRED, member_since="2020-01-01"
        )
        ddb.put_item(TableName=table_name, Item=pass_to_item(old))
    first = store.customer_ids(OFFER.offer_id, after=None, limit=3)
    assert first.customer_ids == [] and first.after is not None
    rest: list[str] = []
    after: str | None = first.after
    while after is not None:
        page = store.customer_ids(OFFER.offer_id, after=after, limit=3)
        rest.extend(page.customer_ids)
        after = page.after
    assert rest == [customer(n) for n in range(7)]


def test_a_plan_of_the_former_listing_resumes_after_its_customer(store: OfferPassStore) -> None:
    """A plan queued before the listing moved to the members index carries a bare customer id."""
    page = store.customer_ids(OFFER.offer_id, after=customer(3), limit=10)
    assert page.customer_ids == [customer(n) for n in range(4, 7)]
    assert store.customer_ids(OFFER.offer_id, after=customer(404), limit=10).customer_ids == [
        customer(n) for n in range(7)
    ]  # its pass gone: from the start again


def test_a_redraw_moves_version_and_updated_at_and_nothing_else(
    store: OfferPassStore, ddb: Any, table_name: str
) -> None:
    before = from_item(ddb.get_item(TableName=table_name, Key=_key(customer(1)), ConsistentRead=True)["Item"])
    drawn = store.redraw(customer(1), OFFER.offer_id, "2026-11-23T12:00:00.000Z")
    after = from_item(ddb.get_item(TableName=table_name, Key=_key(customer(1)), ConsistentRead=True)["Item"])

    assert drawn is not None and drawn.version == before["version"] + 1
    assert after["updatedAt"] == "2026-11-23T12:00:00.000Z"
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"version", "updatedAt"}  # lastActivityAt too stays: a redraw is not a visit


def test_expired_or_missing_passes_are_not_redrawn(store: OfferPassStore, ddb: Any, table_name: str) -> None:
    assert store.redraw(customer(50), OFFER.offer_id, "2026-11-23T12:00:00.000Z") is None
    assert store.redraw(customer(404), OFFER.offer_id, "2026-11-23T12:00:00.000Z") is None
    assert "Item" not in ddb.get_item(TableName=table_name, Key=_key(customer(404)))


def test_passes_are_read_back_current(store: OfferPassStore) -> None:
    store.redraw(customer(2), OFFER.offer_id, "2026-11-23T12:00:00.000Z")
    found = store.passes(OFFER.offer_id, [customer(2), customer(3), customer(404)])
    assert sorted(found) == [customer(2), customer(3)]
    assert found[customer(2)].version == found[customer(3)].version + 1


def _key(customer_id: str) -> dict[str, Any]:
    return {name: {"S": value} for name, value in pass_key(customer_id, OFFER.offer_id).items()}


# ---------------------------------------------------------------- the queue


@pytest.fixture
def queues(sqs: Any) -> dict[str, str]:
    """The template's queues, apart from any other stack's in this process (moto's state is per process)."""
    return create_queues(sqs, f"t-{uuid.uuid4().hex[:8]}-")


def test_every_message_is_queued_and_reads_back(sqs: Any, queues: dict[str, str]) -> None:
    url = queues["WalletRefreshQueue"]
    messages = [PlanRefresh(OFFER.offer_id, "ladder-1", customer(9))] + [
        RedrawPasses(OFFER.offer_id, "ladder-1", (customer(n),)) for n in range(22)
    ]
    SqsRefreshQueue(sqs, url).send(messages)  # three SendMessageBatch requests

    received: list[Any] = []
    deadline = time.monotonic() + 20
    while len(received) < len(messages) and time.monotonic() < deadline:
        answer = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
        for message in answer["Messages"]:
            received.append(parse_message(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    assert "Messages" not in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert sorted(map(repr, received)) == sorted(map(repr, messages))


def test_the_queue_has_the_templates_dead_letter_queue(sqs: Any, queues: dict[str, str]) -> None:
    attributes = sqs.get_queue_attributes(QueueUrl=queues["WalletRefreshQueue"], AttributeNames=["All"])[
        "Attributes"
    ]
    redrive = json.loads(attributes["RedrivePolicy"])
    assert redrive["deadLetterTargetArn"] == queues["WalletRefreshFailures.Arn"]
    assert int(redrive["maxReceiveCount"]) == 5
    assert attributes["VisibilityTimeout"] == "1080"


class FlakyRuntime:
    """Stands in for the local Lambda runtime: reports the messages whose body says "fail" as failed."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        self.bodies.extend(record["body"] for record in event["Records"])
        return {
            "batchItemFailures": [
                {"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "fail"
            ]
        }


def test_the_local_poller_retries_failures_then_moves_them_aside(sqs: Any, queues: dict[str, str]) -> None:
    runtime = FlakyRuntime()
    poller = QueuePoller(sqs, runtime, queues, retry_delay=0)  # type: ignore[arg-type]
    poller.start()
    try:
        sqs.send_message(QueueUrl=queues["WalletRefreshQueue"], MessageBody="ok")
        sqs.send_message(QueueUrl=queues["WalletRefreshQueue"], MessageBody="fail")
        deadline = time.monotonic() + 30
        while runtime.bodies.count("fail") < 5:
            assert time.monotonic() < deadline, runtime.bodies
            time.sleep(0.05)
        assert poller.wait_idle(10)
    finally:
        poller.stop()
    assert runtime.bodies.count("ok") == 1
    assert runtime.bodies.count("fail") == 5  # maxReceiveCount, then the dead-letter queue
    dead = sqs.receive_message(QueueUrl=queues["WalletRefreshFailures"], MaxNumberOfMessages=10)["Messages"]
    assert [m["Body"] for m in dead] == ["fail"]
