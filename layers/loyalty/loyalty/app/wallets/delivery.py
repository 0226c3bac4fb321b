"""Delivery you can see: each member's `wallet` block, and the offer's `wallets` counts kept from the stream
(domain/wallet_delivery.py says what each field means)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.ports.delivery import DeliveryRecord, WalletCounts, WalletDeliveries
from loyalty.app.ports.wallets import PassAddress

logger = Logger(child=True)


def with_wallets(page: dict[str, Any], deliveries: WalletDeliveries, offer_id: str) -> dict[str, Any]:
    """A members page with each member's `wallet` block (one batch read for the page)."""
    items = page["items"]
    found = deliveries.of_passes(PassAddress(item["customerId"], offer_id) for item in items)
    for item in items:
        delivery = found.get(PassAddress(item["customerId"], offer_id))
        if delivery is not None:
            item["wallet"] = delivery.as_dict()
    return page


def count_wallet_changes(counts: WalletCounts, records: Iterable[DeliveryRecord]) -> list[str]:
    """Move the offers' `wallets` counts by each delivery write of the batch, exactly once; answer the sequence
    numbers to retry (from the first that failed on: the stream delivers them again, in order)."""
    pending = list(records)
    for position, record in enumerate(pending):
        try:
            change = record.wallet_count_change()
            if change is not None:
                counts.apply(change)
        except Exception:
            logger.exception(
                "wallet counts failed; retrying from this record",
                extra={"sequenceNumber": record.sequence_number},
            )
            return [r.sequence_number for r in pending[position:]]
    return []
