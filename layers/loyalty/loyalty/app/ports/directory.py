"""An offer's member directory (loyalty.domain.member_search, loyalty.app.offers.directory): each pass's entries
for finding it fast, moved as the pass changes, read in stretches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from loyalty.app.ports.customers import MembersRead
from loyalty.domain.member_search import DirectoryEntry, DirectoryRange


@dataclass(frozen=True)
class DirectoryUpdate:
    """One pass's entries moved: `remove` what the old image had and the new one has not, `put` what the new
    one has (all of it when the pass's status changed, which the entries carry for the active-only ranges)."""

    offer_id: str
    customer_id: str
    active: bool
    remove: frozenset[DirectoryEntry]
    put: frozenset[DirectoryEntry]


class MemberDirectory(Protocol):
    def apply(self, updates: Sequence[DirectoryUpdate]) -> None:
        """Write the updates, in order; raises when one could not be written (the stream hands it back)."""
        ...

    def find(self, offer_id: str, stretch: DirectoryRange, *, limit: int, cursor: str | None) -> MembersRead:
        """At most `limit` entries of the stretch, in its order (one Query), and their passes with the offer
        (one BatchGetItem); `next_cursor` when the stretch goes on. A cursor from another stretch: InvalidCursor."""
        ...
