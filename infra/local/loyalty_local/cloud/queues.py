"""The template's SQS queues on moto, and the local event source mapping that polls them for the functions
template.yaml subscribes, with Lambda's batch and partial-batch-failure semantics.

On SQS a deleted message is done and a waiting one stays; moto keeps its queues in the stack's process, so a
persistent stack carries what its queues still hold at a stop over to the next start (`save_waiting`,
`restore_waiting`): a restart neither replays a processed message nor loses a waiting one."""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from loyalty_local.cloud.lambda_runtime import POOL_SIZE, FunctionRuntime
from loyalty_local.cloud.template import QueueSubscription, queue_definitions, queue_subscriptions

log = logging.getLogger("loyalty_local.cloud.queues")

REGION = "us-east-1"
# Attributes of AWS::SQS::Queue that mean the same to moto; encryption and tags mean nothing locally.
_ATTRIBUTES = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds")


def create_queues(sqs: Any, name_prefix: str = "") -> dict[str, str]:
    """Every queue of the template, dead-letter queues first; the resource values (`Ref` is the URL; `.Arn`,
    `.QueueName`) that the functions' environment and the pollers resolve. moto keeps one state per process,
    so stacks sharing a process (tests) keep their queues apart by `name_prefix`."""
    definitions = queue_definitions()
    resources: dict[str, str] = {}
    ordered = sorted(definitions, key=lambda logical_id: "RedrivePolicy" in definitions[logical_id])
    for logical_id in ordered:
        props = definitions[logical_id]
        attributes = {name: str(props[name]) for name in _ATTRIBUTES if name in props}
        redrive = props.get("RedrivePolicy")
        if redrive:
            target = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": resources[f"{target}.Arn"],
                    "maxReceiveCount": redrive["maxReceiveCount"],
                }
            )
        name = f"{name_prefix}{logical_id}"
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        resources.update({logical_id: url, f"{logical_id}.Arn": arn, f"{logical_id}.QueueName": name})
    return resources


def save_waiting(sqs: Any, resources: dict[str, str], path: Path) -> int:
    """Move every message the template's queues still hold into `path` (call it once the pollers stopped);
    how many were saved."""
    waiting: dict[str, list[dict[str, Any]]] = {}
    for logical_id in queue_definitions():
        url = resources[logical_id]
        while True:
            answer = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=10,
                WaitTimeSeconds=0,
                VisibilityTimeout=60,
                MessageAttributeNames=["All"],
            )
            messages = answer.get("Messages", [])
            if not messages:
                break
            waiting.setdefault(logical_id, []).extend(
                {"body": m["Body"], "attributes": m.get("MessageAttributes", {})} for m in messages
            )
    if waiting:
        path.write_text(json.dumps(waiting), encoding="utf-8")
    return sum(len(messages) for messages in waiting.values())


def restore_waiting(sqs: Any, resources: dict[str, str], path: Path) -> int:
    """Queue again what `save_waiting` kept at the last stop, then forget it; how many were restored."""
    if not path.exists():
        return 0
    waiting: dict[str, list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))
    for logical_id, messages in waiting.items():
        for start in range(0, len(messages), 10):
            entries = [
                {
                    "Id": str(i),
                    "MessageBody": m["body"],
                    **({"MessageAttributes": m["attributes"]} if m["attributes"] else {}),
                }
                for i, m in enumerate(messages[start : start + 10])
            ]
            sqs.send_message_batch(QueueUrl=resources[logical_id], Entries=entries)
    path.unlink()
    return sum(len(messages) for messages in waiting.values())


class QueuePoller:
    """Pollers per subscription: receive, invoke, delete what succeeded; as many at once as the subscription's
    `ScalingConfig.MaximumConcurrency` (bounded by the runtime's processes per function), one otherwise. A failed
    message is made visible again after `retry_delay` seconds instead of the queue's visibility timeout (minutes on
    AWS), so local runs and tests see the retry; the queue's redrive policy still moves it aside after its receive
    count."""

    def __init__(
        self,
        sqs: Any,
        runtime: FunctionRuntime,
        resources: dict[str, str],
        subscriptions: list[QueueSubscription] | None = None,
        retry_delay: int = 1,
    ) -> None:
        self.sqs = sqs
        self.runtime = runtime
        self.resources = resources
        self.subscriptions = subscriptions if subscriptions is not None else queue_subscriptions()
        self.retry_delay = retry_delay
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        # One poller thread per unit of each subscription's concurrency, each with its own count of empty polls.
        self._pollers = [
            subscription
            for subscription in self.subscriptions
            for _ in range(max(1, min(subscription.max_concurrency, POOL_SIZE)))
        ]
        self._empty_polls = [0] * len(self._pollers)
        self._changed = threading.Condition()

    def start(self) -> None:
        for index, subscription in enumerate(self._pollers):
            thread = threading.Thread(
                target=self._loop,
                args=(index, subscription),
                name=f"queue-{subscription.queue}-{index}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every poller has found its queue empty since this call (tests use it to await side
        effects)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            seen = list(self._empty_polls)
            while any(now <= then for now, then in zip(self._empty_polls, seen, strict=True)):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def _loop(self, index: int, subscription: QueueSubscription) -> None:
        url = self.resources[subscription.queue]
        while not self._stop.is_set():
            try:
                delivered = self.poll_once(subscription, url)
            except Exception:
                log.exception("polling %s failed", subscription.queue)
                delivered = 0
                self._stop.wait(1)
            if delivered == 0:
                with self._changed:
                    self._empty_polls[index] += 1
                    self._changed.notify_all()

    def poll_once(self, subscription: QueueSubscription, url: str) -> int:
        answer = self.sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(10, subscription.batch_size),
            WaitTimeSeconds=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        messages = answer.get("Messages", [])
        if not messages:
            return 0
        arn = self.resources[f"{subscription.queue}.Arn"]
        records = [_record(message, arn) for message in messages]
        failed = self._deliver(subscription, records)
        done = [m for m in messages if m["MessageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)],
            )
        for message in messages:
            if message["MessageId"] in failed:
                self.sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=self.retry_delay
                )
        return len(messages)

    def _deliver(self, subscription: QueueSubscription, records: list[dict[str, Any]]) -> set[str]:
        """The ids of the messages that must come back (all of them when the invocation failed)."""
        everything = {r["messageId"] for r in records}
        try:
            result = self.runtime.invoke(subscription.function, {"Records": records})
        except Exception:
            log.exception("%s failed on a queue batch", subscription.function)
            return everything
        if not subscription.report_batch_item_failures or not isinstance(result, dict):
            return set()
        return {
            str(f.get("itemIdentifier"))
            for f in result.get("batchItemFailures") or []
            if f.get("itemIdentifier") in everything
        }


def _record(message: dict[str, Any], arn: str) -> dict[str, Any]:
    """A message as the Lambda event source mapping hands it over."""
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": message.get("MessageAttributes", {}),
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": arn,
        "awsRegion": REGION,
    }
