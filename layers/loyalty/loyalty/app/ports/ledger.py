"""Ports of the ledger: the table's changes as the stream hands them over, and the ledger they feed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from loyalty.domain.stats import Tally

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass
from loyalty.app.ports.passes import ChangeNote


@dataclass(frozen=True)
class OfferWritten:
    """An offer as the table's stream shows it written (`old` None for a new offer)."""

    old: Offer | None
    new: Offer


@dataclass(frozen=True)
class PassWritten:
    old: Pass | None
    new: Pass
    change: ChangeNote | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One pass change as the ledger records it (docs/decisions/0011-ledger-from-the-stream.md): its audit event
    (the pass as the change left it, and what the change was) and what it adds to the offer's counters on `day`,
    the change's calendar day in the offer's time zone. `lane` and `position`: the stream shard the change came
    from and its record's sequence number (docs/decisions/0021g), empty when the batch did not say its shard (the
    `Ledger` then orders the pass's changes by their versions)."""

    pass_: Pass
    note: ChangeNote
    day: str
    counted: Tally
    lane: str = ""
    position: str = ""


class Ledger(Protocol):
    """Writes pass changes' audit events and stats counters, each change exactly once however often it is
    handed over: an entry written before adds nothing again, to the history or the counters."""

    def write(self, entries: Sequence[LedgerEntry]) -> int:
        """Write the entries in order; how many of them, from the first, are now written (all of them, or fewer
        when the rest could not be: those must be handed over again)."""
        ...


class TableChange(Protocol):
    """One record of the table's stream, read only when handled, so a record that cannot be read comes back
    like any other failure."""

    @property
    def sequence_number(self) -> str: ...

    def written(self) -> OfferWritten | PassWritten | None:
        """The offer or pass written; None for anything else (removals, other items)."""
        ...

    def created_issuance(self) -> str | None:
        """The id of the credential issuance this record shows created, if it does."""
        ...
