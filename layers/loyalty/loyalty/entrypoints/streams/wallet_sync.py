"""The table's stream → wallet passes: Google Wallet objects and Apple Wallet pushes follow every pass change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.app.wallets.sync import sync_batch
from loyalty.bootstrap import wallets


def wallet_sync_batch(
    event: dict[str, Any], seconds_left: Callable[[], float], reserve_seconds: float
) -> dict[str, Any]:
    failed_from = sync_batch(
        stream_records(event.get("Records", [])),
        wallets(),
        seconds_left=seconds_left,
        reserve_seconds=reserve_seconds,
    )
    return {"batchItemFailures": [{"itemIdentifier": sequence} for sequence in failed_from]}
