"""The local stack's queue poller runs as many invocations of a function at once as its event source mapping's
`ScalingConfig.MaximumConcurrency` allows (bounded by the runtime's processes per function), one otherwise, on
moto's SQS: the campaign queue's chunks overlap as they would on AWS, and each message is still handled once."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest

from loyalty_local.cloud.lambda_runtime import POOL_SIZE
from loyalty_local.cloud.queues import QueuePoller, create_queues
from loyalty_local.cloud.template import queue_subscriptions

pytestmark = pytest.mark.integration


class SlowRuntime:
    """Holds each invocation a moment and notes how many were running at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.bodies: dict[str, list[str]] = {}

    def invoke(self, function: str, event: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.bodies.setdefault(function, []).extend(r["body"] for r in event["Records"])
        time.sleep(0.3)
        with self.lock:
            self.running -= 1
        return {"batchItemFailures": []}


def test_the_campaign_queue_is_polled_as_concurrently_as_the_template_says(sqs: Any) -> None:
    [campaigns] = [s for s in queue_subscriptions() if s.queue == "CampaignQueue"]
    assert campaigns.max_concurrency == 5  # template.yaml's ScalingConfig
    queues = create_queues(sqs, f"t-{uuid.uuid4().hex[:8]}-")
    runtime = SlowRuntime()
    poller = QueuePoller(sqs, runtime, queues, subscriptions=[campaigns], retry_delay=0)  # type: ignore[arg-type]
    bodies = [f"chunk-{n}" for n in range(12)]
    for body in bodies:
        sqs.send_message(QueueUrl=queues["CampaignQueue"], MessageBody=body)
    poller.start()
    try:
        deadline = time.monotonic() + 30
        while len(runtime.bodies.get(campaigns.function, [])) < len(bodies):
            assert time.monotonic() < deadline, runtime.bodies
            time.sleep(0.05)
        assert poller.wait_idle(10)
    finally:
        poller.stop()
    assert sorted(runtime.bodies[campaigns.function]) == sorted(bodies)  # each once
    assert runtime.most == min(5, POOL_SIZE)


def test_a_queue_without_a_scaling_config_is_polled_one_batch_at_a_time(sqs: Any) -> None:
    [export] = [s for s in queue_subscriptions() if s.queue == "MemberExportQueue"]
    assert export.max_concurrency == 1
    queues = create_queues(sqs, f"t-{uuid.uuid4().hex[:8]}-")
    runtime = SlowRuntime()
    poller = QueuePoller(sqs, runtime, queues, subscriptions=[export], retry_delay=0)  # type: ignore[arg-type]
    for n in range(4):
        sqs.send_message(QueueUrl=queues["MemberExportQueue"], MessageBody=f"export-{n}")
    poller.start()
    try:
        deadline = time.monotonic() + 30
        while len(runtime.bodies.get(export.function, [])) < 4:
            assert time.monotonic() < deadline, runtime.bodies
            time.sleep(0.05)
    finally:
        poller.stop()
    assert runtime.most == 1
