"""The queue workers' one batch loop (entrypoints/queues/batch.py): what SQS is told to deliver again."""

from __future__ import annotations

import json
from typing import Any

import pytest

from loyalty.app.campaigns.fanout import MalformedCampaignMessage, PlanCampaign
from loyalty.app.campaigns.fanout import parse_message as campaign_message
from loyalty.domain.ids import new_id
from loyalty.entrypoints.queues.batch import Delivery, work_through_batch
from loyalty.entrypoints.queues.export_messages import MalformedExportMessage, export_id_of


class Log:
    def __init__(self) -> None:
        self.errors: list[tuple[str, dict[str, Any]]] = []
        self.exceptions: list[tuple[str, dict[str, Any]]] = []

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.errors.append((str(msg), kwargs.get("extra", {})))

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.exceptions.append((str(msg), kwargs.get("extra", {})))


def record(message_id: str, body: str, received: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"messageId": message_id, "body": body}
    if received is not None:
        found["attributes"] = {"ApproximateReceiveCount": received}
    return found


def export(export_id: str) -> str:
    return json.dumps({"exportId": export_id})


def test_a_failed_message_alone_comes_back_and_the_rest_of_the_batch_is_done() -> None:
    done: list[Delivery[str]] = []

    def work(delivery: Delivery[str]) -> None:
        if delivery.message == "exp_broken":
            raise RuntimeError("the bucket said no")
        done.append(delivery)

    log = Log()
    answer = work_through_batch(
        {
            "Records": [
                record("m1", export("exp_a")),
                record("m2", export("exp_broken"), "2"),
                record("m3", export("exp_c")),
            ]
        },
        export_id_of,
        work,
        malformed=MalformedExportMessage,
        log=log,
        failed="export failed",
        about=lambda export_id: {"exportId": export_id},
    )
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m2"}]}
    assert [d.message for d in done] == ["exp_a", "exp_c"]
    assert log.exceptions == [
        ("export failed", {"exportId": "exp_broken", "messageId": "m2", "receiveCount": 2})
    ]


@pytest.mark.parametrize("body", ["", "not json", "[]", '{"offerId": "off_1"}', json.dumps({"kind": "plan"})])
def test_a_body_the_queue_never_carries_is_dropped_not_delivered_again(body: str) -> None:
    worked: list[Any] = []
    log = Log()
    answer = work_through_batch(
        {"Records": [record("m1", body)]},
        campaign_message,
        worked.append,
        malformed=MalformedCampaignMessage,
        log=log,
        failed="campaign work failed",
    )
    assert answer == {"batchItemFailures": []}
    assert worked == []
    assert [(line, extra["messageId"]) for line, extra in log.errors] == [
        ("dropping a message this queue never carries", "m1")
    ]


def test_the_work_is_told_the_message_and_how_often_sqs_handed_it_out() -> None:
    seen: list[Delivery[Any]] = []
    body = json.dumps({"offerId": new_id("off"), "campaignId": new_id("cmp"), "kind": "plan"})
    work_through_batch(
        {"Records": [record("m1", body, "3"), record("m2", body)]},
        campaign_message,
        seen.append,
        malformed=MalformedCampaignMessage,
        log=Log(),
        failed="campaign work failed",
    )
    assert [(d.message_id, d.receive_count) for d in seen] == [("m1", 3), ("m2", 1)]
    assert all(isinstance(d.message, PlanCampaign) for d in seen)


def test_an_error_the_reader_did_not_name_is_not_mistaken_for_a_malformed_body() -> None:
    def read(body: str) -> str:
        raise MemoryError("not a refusal of the body")

    with pytest.raises(MemoryError):
        work_through_batch(
            {"Records": [record("m1", "{}")]},
            read,
            lambda delivery: None,
            malformed=MalformedExportMessage,
            log=Log(),
            failed="x",
        )


def test_an_event_without_records_asks_for_nothing_again() -> None:
    assert work_through_batch(
        {}, export_id_of, lambda delivery: None, malformed=MalformedExportMessage, log=Log(), failed="x"
    ) == {"batchItemFailures": []}
