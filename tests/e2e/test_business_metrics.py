"""Operations see the business: each event is counted once, when it became true (Powertools EMF lines in the
functions' output, which CloudWatch turns into metrics)."""

from __future__ import annotations

import json
from collections import Counter as Tally
from typing import Any

import pytest

from loyalty_local.cloud.stack import LocalStack
from tests.support.counter import Counter, enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e


def _documents(output: str) -> list[dict[str, Any]]:
    """Every JSON object printed: functions in several processes share one pipe, so two documents may land on
    one line; each is read whole where it starts."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    for line in output.splitlines():
        position = line.find("{")
        while position != -1:
            try:
                document, end = decoder.raw_decode(line, position)
            except ValueError:
                position = line.find("{", position + 1)
                continue
            if isinstance(document, dict):
                found.append(document)
            position = line.find("{", end)
    return found


def counted(output: str) -> Tally[str]:
    """Sum every metric of every EMF document printed."""
    tally: Tally[str] = Tally()
    for document in _documents(output):
        if "_aws" not in document:
            continue
        for directive in document["_aws"]["CloudWatchMetrics"]:
            assert directive["Namespace"] == "Loyalty"
            for metric in directive["Metrics"]:
                values = document[metric["Name"]]
                tally[metric["Name"]] += int(sum(values) if isinstance(values, list) else values)
    return tally


def quiet(stack: LocalStack) -> None:
    """What earlier tests set going (stream records, queued messages, the workflows they start) is done, and all
    the functions printed is out: so none of it lands in this test's output."""
    assert stack.poller is not None and stack.queues is not None
    for _ in range(2):
        assert stack.poller.wait_idle(30) and stack.queues.wait_idle(30)
    assert stack.runtime is not None
    stack.runtime.drain_output(timeout=10)


def test_enrollments_stamps_prizes_and_upgrades_are_counted_once(
    local_stack: LocalStack, gateway: str, token, business_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    owner = Counter(gateway, token("owner", business_id))
    manager = Counter(gateway, token("manager", business_id, branch_id="branch-1", sub="manager-1"))
    offer_id = owner.create_offer(stamps_required=1)
    quiet(local_stack)
    capsys.readouterr()

    email = f"metrics-{business_id}@example.com"
    enrolled = enroll(gateway, offer_id, email=email)
    assert enrolled.status_code == 201, enrolled.text
    customer_id = enrolled.json()["customerId"]
    # The same email again: a recovery link is mailed (202), no new enrollment.
    assert enroll(gateway, offer_id, email=email).status_code == 202
    for _ in range(2):  # a retried scan (same key) is one stamp
        assert manager.scan(customer_id, offer_id, key="scan-key-1").status_code == 200
    assert manager.confirm(customer_id, offer_id).status_code == 200  # the first prize reaches the first tier

    # Each line is out before its answer, unless the forwarding gave up waiting (1 s, under load): read until
    # every expected metric has been seen at least once, then check each was counted exactly once.
    printed: list[str] = []

    def read() -> Tally[str]:
        printed.append(capsys.readouterr().out)
        return counted("".join(printed))

    expected = ("StampsAwarded", "PrizesClaimed", "TierUpgrades", "Enrollments")
    tally = eventually(read, lambda seen: all(seen[name] >= 1 for name in expected))
    quiet(local_stack)
    tally = read()
    assert tally["StampsAwarded"] == 1
    assert tally["PrizesClaimed"] == 1
    assert tally["TierUpgrades"] == 1
    assert tally["Enrollments"] == 1
