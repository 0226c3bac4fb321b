"""A persistent stack's queues live in moto, in the stack's process: what they hold at a stop is queued again at
the next start, and what was processed is not."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from loyalty_local.cloud.queues import create_queues, restore_waiting, save_waiting

pytestmark = pytest.mark.integration


def bodies(sqs: Any, url: str) -> list[str]:
    found: list[str] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
        "Messages", []
    ):
        found.extend(m["Body"] for m in messages)
    return sorted(found)


def test_what_waits_at_a_stop_is_queued_again_at_the_next_start_and_only_that(
    sqs: Any, tmp_path: Path
) -> None:
    kept = tmp_path / "queued-messages.json"
    before = create_queues(sqs, f"q-{uuid.uuid4().hex[:8]}-")
    processed = sqs.send_message(QueueUrl=before["WalletRefreshQueue"], MessageBody="processed")
    received = sqs.receive_message(QueueUrl=before["WalletRefreshQueue"])["Messages"][0]
    assert received["MessageId"] == processed["MessageId"]
    sqs.delete_message(QueueUrl=before["WalletRefreshQueue"], ReceiptHandle=received["ReceiptHandle"])
    for n in range(12):  # more than one batch
        sqs.send_message(QueueUrl=before["WalletRefreshQueue"], MessageBody=f"chunk-{n:02d}")
    sqs.send_message(QueueUrl=before["WalletRefreshFailures"], MessageBody="dead")

    assert save_waiting(sqs, before, kept) == 13

    after = create_queues(sqs, f"q-{uuid.uuid4().hex[:8]}-")  # a new moto has new, empty queues
    assert restore_waiting(sqs, after, kept) == 13
    assert bodies(sqs, after["WalletRefreshQueue"]) == [f"chunk-{n:02d}" for n in range(12)]
    assert bodies(sqs, after["WalletRefreshFailures"]) == ["dead"]
    assert not kept.exists()
    assert restore_waiting(sqs, after, kept) == 0
