"""The ledger function on Lambda, modelled from what its batches took here (loyalty_local's `BatchCost`).

A batch's time on Lambda at a memory size: the calling thread's CPU (reading the records, building the entries)
stretched as Lambda shares out a vCPU below its full size (bench.bill_apple's `lambda_ms` rule: CPU x 1769 / MB)
plus its own requests one after another (the offers' time zones); then the pool's part: its CPU stretched the
same way (one Python process: the pool's threads share one vCPU's worth) or its DynamoDB waits, rounds of
`workers` requests in flight at DDB_MS_PER_REQUEST each, whichever is longer (the pool overlaps one thread's CPU
with the others' waits). Assumed, not measured here: a DynamoDB round trip in the region, and Lambda's arm64
vCPU doing as much work a second as this machine's core."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bench.bill_apple import FULL_VCPU_MB
from loyalty.adapters.dynamodb.ledger import WORKERS
from loyalty_local.cloud.ledger_drain import BatchCost


@dataclass(frozen=True)
class LedgerOnLambda:
    changes: int
    cpu_ms_per_change: float  # measured here: the process's CPU, all threads
    ms_per_change: float  # modelled on Lambda
    requests_per_batch: float

    @property
    def changes_per_second(self) -> float:
        return 1000 / self.ms_per_change


def on_lambda(
    costs: Sequence[BatchCost], memory_mb: int, ddb_ms: float, workers: int = WORKERS
) -> LedgerOnLambda:
    stretch = max(1.0, FULL_VCPU_MB / memory_mb)
    total_ms = 0.0
    for cost in costs:
        caller = cost.caller_cpu_seconds * 1000 * stretch + cost.serial_requests * ddb_ms
        pool_cpu = max(cost.cpu_seconds - cost.caller_cpu_seconds, 0.0) * 1000 * stretch
        pool_waits = math.ceil(cost.pool_requests / workers) * ddb_ms
        total_ms += caller + max(pool_cpu, pool_waits)
    changes = sum(cost.changes for cost in costs)
    return LedgerOnLambda(
        changes=changes,
        cpu_ms_per_change=sum(cost.cpu_seconds for cost in costs) * 1000 / changes,
        ms_per_change=total_ms / changes,
        requests_per_batch=sum(cost.serial_requests + cost.pool_requests for cost in costs) / len(costs),
    )
