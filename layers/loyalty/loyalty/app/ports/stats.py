"""Ports of the stats: the counters kept as the changes happened."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Protocol

from loyalty.domain.stats import DateRange

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


class StatsCounters(Protocol):
    """The counters an offer's changes kept (docs/decisions/0007-stats-counters.md)."""

    def read(self, offer_id: str, span: DateRange) -> tuple[dict[str, Counter[str]], Counter[str]]: ...
