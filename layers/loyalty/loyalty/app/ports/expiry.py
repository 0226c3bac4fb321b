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
    """One activity-index entry below the cutoff: a candidate for expiry, not a verdict.

    The index knows only the week of the pass's last activity (`active_week`, the Monday's `YYYY-MM-DD`, UTC), not
    the moment: a pass active in the cutoff's own week is a candidate whether its activity came before the cutoff
    or after it. Whoever acts on a candidate reads the pass and judges its real `lastActivityAt`."""

    customer_id: str
    offer_id: str
    active_week: str


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

    def idle_page(
        self, shard: int, cutoff_iso: str, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage: ...

    def expire(self, idle: IdlePass, cutoff_iso: str, now_iso: str) -> ExpiryOutcome: ...

    def judge(self, idle: IdlePass, cutoff_iso: str) -> ExpiryOutcome:
        """What `expire` would do to the pass as it is now (EXPIRED: it would expire), writing nothing."""
        ...
