"""The bench's model of the ledger function on Lambda (bench/ledger_lambda.py): CPU stretched below a full vCPU,
the pool's DynamoDB waits in rounds of its workers, overlapped with the pool's CPU."""

from __future__ import annotations

import pytest

from bench.ledger_lambda import on_lambda
from loyalty_local.cloud.ledger_drain import BatchCost


def batch(cpu_ms: float, caller_cpu_ms: float, pool_requests: int, serial_requests: int = 0) -> BatchCost:
    return BatchCost(
        changes=100,
        seconds=1.0,
        cpu_seconds=cpu_ms / 1000,
        caller_cpu_seconds=caller_cpu_ms / 1000,
        serial_requests=serial_requests,
        pool_requests=pool_requests,
    )


def test_a_full_vcpu_and_a_cpu_bound_pool_take_the_cpu() -> None:
    # 20 ms of the caller's CPU, 130 ms of the pool's; 96 requests in 12 rounds of 8 at 8 ms = 96 ms of waits.
    model = on_lambda([batch(150, 20, 96)], memory_mb=1769, ddb_ms=8.0, workers=8)
    assert model.ms_per_change == pytest.approx((20 + 130) / 100)
    assert model.cpu_ms_per_change == pytest.approx(1.5)
    assert model.changes_per_second == pytest.approx(100 / 0.150)


def test_below_a_full_vcpu_the_cpu_stretches() -> None:
    full = on_lambda([batch(150, 20, 96)], memory_mb=1769, ddb_ms=8.0, workers=8)
    quarter = on_lambda([batch(150, 20, 96)], memory_mb=1769 // 4 + 1, ddb_ms=8.0, workers=8)
    assert quarter.changes_per_second < full.changes_per_second / 3.5
    more = on_lambda([batch(150, 20, 96)], memory_mb=3538, ddb_ms=8.0, workers=8)
    assert more.ms_per_change == full.ms_per_change, "one Python process gains nothing past one vCPU"


def test_waits_count_when_they_outlast_the_cpu() -> None:
    # 40 ms of the pool's CPU, 97 requests: 13 rounds of 8 at 8 ms = 104 ms; plus 2 time zone reads one after
    # another and 10 ms of the caller's CPU.
    model = on_lambda([batch(50, 10, 97, serial_requests=2)], memory_mb=1769, ddb_ms=8.0, workers=8)
    assert model.ms_per_change == pytest.approx((10 + 2 * 8 + 13 * 8) / 100)
    assert model.requests_per_batch == 99
