"""One SQS batch, worked message by message, as every queue worker subscribed with ReportBatchItemFailures does:
a body the queue never carries is dropped (delivering it again would not help), a message whose work fails is
named in `batchItemFailures` (SQS delivers it again after its visibility timeout, then rests it in the queue's
dead-letter queue), and the other messages of the batch are done."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

Message = TypeVar("Message")


class BatchLog(Protocol):
    """What the batch writes to the worker's log (Powertools' Logger)."""

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None: ...

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None: ...


@dataclass(frozen=True)
class Delivery(Generic[Message]):
    """A message of the batch, read: its SQS id, what its body says, and how often SQS has handed it out."""

    message_id: str
    message: Message
    receive_count: int


def receive_count(record: Mapping[str, Any]) -> int:
    attributes = record.get("attributes") or {}
    try:
        return max(1, int(attributes.get("ApproximateReceiveCount", "1")))
    except (TypeError, ValueError):
        return 1


def work_through_batch(
    event: Mapping[str, Any],
    read: Callable[[str], Message],
    work: Callable[[Delivery[Message]], None],
    *,
    malformed: type[Exception],
    log: BatchLog,
    failed: str,
    about: Callable[[Message], Mapping[str, Any]] = lambda _: {},
) -> dict[str, list[dict[str, str]]]:
    """`read` turns a body into the queue's message or raises `malformed`; `work` does what the message asks.
    `failed` is the log line when the work raised (the message comes back), with what `about` tells of it."""
    failures: list[dict[str, str]] = []
    for record in event.get("Records") or []:
        message_id = str(record["messageId"])
        try:
            message = read(str(record.get("body") or ""))
        except malformed as problem:
            log.error(
                "dropping a message this queue never carries",
                extra={"messageId": message_id, "problem": str(problem)},
            )
            continue
        delivery = Delivery(message_id, message, receive_count(record))
        try:
            work(delivery)
        except Exception:
            log.exception(
                failed,
                extra={**about(message), "messageId": message_id, "receiveCount": delivery.receive_count},
            )
            failures.append({"itemIdentifier": message_id})
    return {"batchItemFailures": failures}
