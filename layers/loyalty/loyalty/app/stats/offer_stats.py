"""What happened in an offer over a date range, and where its members stand now: read from counters kept as the
changes happened (domain/stats.py), so the cost is one offer read and the range's counter items, whatever the
number of passes or events."""

from __future__ import annotations

from dataclasses import replace

from loyalty.app.offers.catalog import find_offer
from loyalty.app.ports.delivery import WalletCounts
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.stats import StatsCounters
from loyalty.domain.stats import OfferActivity, offer_activity, parse_range


def offer_stats(
    offers: OfferSource,
    counters: StatsCounters,
    business_id: str,
    offer_id: str,
    *,
    start: str | None,
    end: str | None,
    branch_id: str | None = None,
    at: str | None = None,
    inactivity_days: int = 90,
    wallets: WalletCounts | None = None,
) -> OfferActivity:
    """With `at`, the totals also say how many members are at risk and expiring soon as of then; with `wallets`,
    the activity carries the offer's `wallets` counts (one more item read)."""
    offer = find_offer(offers, business_id, offer_id)
    span = parse_range(start, end)
    days, members = counters.read(offer.offer_id, span)
    activity = offer_activity(
        offer.offer_id,
        offer.timezone,
        span,
        days,
        members,
        offer.ladder,
        branch_id,
        at=at,
        inactivity_days=inactivity_days,
    )
    if wallets is not None:
        activity = replace(activity, wallets=wallets.of_offer(offer.offer_id))
    return activity
