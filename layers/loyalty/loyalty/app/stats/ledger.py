"""The ledger: every pass change's audit event and stats counters, written from the table's stream, exactly once
(docs/decisions/0011-ledger-from-the-stream.md).

A request writes only the pass, stamped with what the change was (`chg`). The stream hands each write over at
least once, in order per pass; this turns the pass writes of a batch into ledger entries and has the `Ledger`
write them. A record is a change to ledger when its new image names one (`chg`) and moved the version on (no old
image, or a greater version than the old one): a write that only kept an idempotency answer in the pass leaves
the version, and a wallet redraw removes the note. Whatever is handed over twice is written once, because the
`Ledger` adds nothing twice (docs/decisions/0021g)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aws_lambda_powertools import Logger

from loyalty.app.ports.ledger import Ledger, LedgerEntry, PassWritten, TableChange
from loyalty.app.ports.offers import OfferSource
from loyalty.domain.offers import DEFAULT_TIMEZONE
from loyalty.domain.stats import local_day, tally

logger = Logger(child=True)


def is_ledgered(written: PassWritten) -> bool:
    """Whether this pass write is a change the ledger records (see the module's docstring)."""
    return written.change is not None and (written.old is None or written.new.version > written.old.version)


def ledger_entry(written: PassWritten, timezone: str, lane: str = "", position: str = "") -> LedgerEntry:
    """The event and counters of one ledgered pass write (`is_ledgered`), its day in `timezone`."""
    note = written.change
    if note is None:
        raise ValueError("a pass write that names no change is not ledgered")
    pass_ = written.new
    return LedgerEntry(
        pass_=pass_,
        note=note,
        day=local_day(pass_.updated_at, timezone),
        counted=tally(note.kind, written.old, pass_, tier_upgrade=note.tier_upgrade),
        lane=lane,
        position=position if lane else "",
    )


# How long the ledger's container keeps an offer's time zone across batches: a batch mixing many offers read each
# of them (one GetItem an offer a batch) when the zones were kept per batch. A time zone edited meanwhile counts
# the changes of those minutes on the day in the earlier zone.
TIMEZONE_MAX_AGE_SECONDS = 300.0


class OfferTimezones:
    """Each offer's time zone, read once (one GetItem an offer) and kept for `max_age` seconds (None: as long as
    this lives, one batch by default); an unknown offer counts in UTC."""

    def __init__(
        self,
        offers: OfferSource,
        max_age: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        size: int = 4096,
    ) -> None:
        self._offers = offers
        self._max_age = max_age
        self._monotonic = monotonic
        self._size = size
        self._zones: dict[str, tuple[str, float]] = {}
        self.reads = 0

    def __call__(self, offer_id: str) -> str:
        now = self._monotonic()
        kept = self._zones.get(offer_id)
        if kept is not None and (self._max_age is None or now < kept[1]):
            return kept[0]
        self.reads += 1
        offer = self._offers.get(offer_id)
        zone = offer.timezone if offer is not None else DEFAULT_TIMEZONE
        if len(self._zones) >= self._size:
            self._zones.pop(next(iter(self._zones)))
        self._zones[offer_id] = (zone, now + (self._max_age or 0.0))
        return zone


@dataclass(frozen=True)
class _Pending:
    sequence_number: str
    entry: LedgerEntry


def record_pass_changes(
    ledger: Ledger,
    offers: OfferSource,
    records: Iterable[TableChange],
    timezones: OfferTimezones | None = None,
    shard: str | None = None,
) -> list[str]:
    """Ledger the pass changes of a batch of stream records; the sequence numbers to hand back: every pass
    change from the first one not written on (and from a record that could not be read), in batch order, so that
    the stream delivers them again in their order. Records of anything else are left alone. `timezones` kept
    across batches (the container's) saves each batch reading its offers again. `shard`: the stream shard the
    batch came from (all of a batch's records are of one shard), each change's lane in the counters
    (docs/decisions/0021g)."""
    timezone_of = timezones if timezones is not None else OfferTimezones(offers)
    pending: list[_Pending] = []
    unreadable: list[str] = []
    for record in records:
        if unreadable:
            unreadable.append(record.sequence_number)
            continue
        try:
            written = record.written()
        except (KeyError, ValueError, TypeError) as error:
            logger.error(
                "a stream record could not be read; it and the records after it come back",
                extra={"sequenceNumber": record.sequence_number, "error": repr(error)},
            )
            unreadable.append(record.sequence_number)
            continue
        if isinstance(written, PassWritten) and is_ledgered(written):
            entry = ledger_entry(
                written, timezone_of(written.new.offer_id), shard or "", record.sequence_number
            )
            pending.append(_Pending(record.sequence_number, entry))
    entries = _once_each(pending)
    written_count = ledger.write(entries)
    if written_count < len(entries):
        first_unwritten = entries[written_count]
        start = next(n for n, p in enumerate(pending) if p.entry is first_unwritten)
        failed = [p.sequence_number for p in pending[start:]]
        logger.warning(
            "pass changes not ledgered; the stream will hand them over again",
            extra={"records": len(failed), "firstSequenceNumber": failed[0]},
        )
        return failed + unreadable
    return unreadable


def _once_each(pending: list[_Pending]) -> list[LedgerEntry]:
    """The batch's entries, a change handed over twice in the same batch only once."""
    seen: set[tuple[str, str, int]] = set()
    entries: list[LedgerEntry] = []
    for item in pending:
        pass_ = item.entry.pass_
        key = (pass_.customer_id, pass_.offer_id, pass_.version)
        if key not in seen:
            seen.add(key)
            entries.append(item.entry)
    return entries
