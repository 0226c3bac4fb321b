"""Rate limits on the public door: how many requests one subject (a client address, an offer) may make in a
fixed window, and the refusal a client gets past it (429 with `Retry-After`, the seconds until the window ends).

Fixed windows keep each check to one conditional write of one counter; a client can squeeze at most twice the
limit across a window's edge, which still stops a script and never slows a real counter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from loyalty.domain.errors import TooSoon


@dataclass(frozen=True)
class RateLimit:
    """`limit` requests per `window_seconds`, counted per subject."""

    limit: int
    window_seconds: int = 60

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window_seconds < 1:
            raise ValueError("a rate limit allows at least one request in a window of at least one second")

    def window_start(self, now: datetime) -> int:
        """The epoch second the window holding `now` began (windows are aligned, so every container agrees)."""
        epoch = int(now.timestamp())
        return epoch - epoch % self.window_seconds

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the next window opens (at least 1, as `Retry-After` counts whole seconds)."""
        return max(1, self.window_start(now) + self.window_seconds - int(now.timestamp()))


class TooManyRequests(TooSoon):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too many requests; try again in {retry_after_seconds} seconds.",
            code="TOO_MANY_REQUESTS",
            retry_after_seconds=retry_after_seconds,
        )
