"""Delivery you can see: each member's `wallet` block, and the offer's `wallets` counts kept from the stream
(domain/wallet_delivery.py says what each field means)."""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools import Logger

from loyalty.app.ports.delivery import DeliveryRecord, WalletCounts, WalletDeliveries
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.pass_results import MemberList
from loyalty.domain.wallet_delivery import WalletDelivery

logger = Logger(child=True)


def wallets_of(page: MemberList, deliveries: WalletDeliveries, offer_id: str) -> dict[str, WalletDelivery]:
    """Each member's wallet delivery of a members page, by customer id (one batch read for the page)."""
    addresses = [PassAddress(member.pass_.customer_id, offer_id) for member in page.members]
    found = deliveries.of_passes(addresses)
    return {address.customer_id: found[address] for address in addresses if address in found}


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
