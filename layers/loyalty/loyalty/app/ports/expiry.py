"""Ports of pass expiry: the index of idle passes and what expiring one did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


@dataclass(frozen=True)
class IdlePass:
    """One activity-index entry below the bound: a candidate for expiry, not a verdict.

    The index knows only the month of the pass's last activity (`bucket`, `YYYY-MM`, UTC; an entry from before
    the monthly key says its week's Monday, `YYYY-MM-DD`), not the moment: against an exact cutoff, a pass active
    in the cutoff's own month is a candidate whether its activity came before the cutoff or after it. Whoever acts
    on a candidate judges its real `lastActivityAt`, in the write that expires it."""

    customer_id: str
    offer_id: str
    bucket: str


@dataclass(frozen=True)
class IdlePage:
    passes: list[IdlePass]
    # Where the next page starts (opaque to the use case); None once the shard holds nothing more below the cutoff.
    resume_after: dict[str, Any] | None
    items_read: int


class ExpiryOutcome(Enum):
    EXPIRED = "expired"
    # Activity landed after the index was read (a scan, a prize, a re-enrollment): the pass stays active.
    RECENT_ACTIVITY = "recentActivity"
    # Already expired or gone, e.g. by an overlapping run, or an index entry that was still catching up.
    NOT_ACTIVE = "notActive"


class IdlePassIndex(Protocol):
    shards: int

    def idle_page(self, shard: int, bound: str, resume_after: Mapping[str, Any] | None = None) -> IdlePage:
        """Entries sorting below `bound` (`ExpiryCutoff.bound`: an exact cutoff or a month)."""
        ...

    def expire(self, idle: IdlePass, bound: str, now_iso: str) -> ExpiryOutcome:
        """Expire the pass if, at this instant, it is ACTIVE and its last activity sorts below `bound`."""
        ...

    def judge(self, idle: IdlePass, bound: str) -> ExpiryOutcome:
        """What `expire` would do to the pass as it is now (EXPIRED: it would expire), writing nothing."""
        ...
