"""What a container keeps for a short while (docs/decisions/0012): each key's value read at most once per
`max_age` seconds, at most `size` keys (the oldest kept dropped first). The offers and the active branches the
scanner's routes check are kept so (app/offers/cache.py, app/staff/branch_cache.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass
class _Kept(Generic[V]):
    value: V
    read_at: float


class KeptFor(Generic[V]):
    def __init__(
        self,
        read: Callable[[str], V],
        max_age: float,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 256,
    ) -> None:
        self._read = read
        self.max_age = max_age
        self.monotonic = monotonic
        self._size = size
        self._kept: dict[str, _Kept[V]] = {}
        self.reads = 0

    def get(self, key: str, now: float) -> tuple[V, float]:
        """The key's value and when it was read: read again (as of `now`) once older than `max_age`."""
        kept = self._kept.get(key)
        if kept is not None and now < kept.read_at + self.max_age:
            return kept.value, kept.read_at
        return self.read(key, now), now

    def read(self, key: str, now: float) -> V:
        """The key's value read now, and kept."""
        self.reads += 1
        value = self._read(key)
        if key not in self._kept and len(self._kept) >= self._size:
            self._kept.pop(next(iter(self._kept)))
        self._kept[key] = _Kept(value, now)
        return value

    def __len__(self) -> int:
        return len(self._kept)
