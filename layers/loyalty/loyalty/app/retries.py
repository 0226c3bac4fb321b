"""How a use case waits before reading again after a WriteConflict."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

Backoff = Callable[[int], None]


def conflict_backoff(attempt: int) -> None:
    """A short, jittered pause before reading again, so contending writers spread out."""
    time.sleep(random.uniform(0, min(0.05, 0.002 * 2**attempt)))  # noqa: S311 - jitter, not security
