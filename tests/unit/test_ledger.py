"""The ledger's use case: which stream records are pass changes to ledger, what each adds, which records come back
when the writer fails, and that any delivery at least once (duplicates, failures, redelivered prefixes) leaves one
event per change and the counts of a single delivery."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.app.ports.ledger import PassWritten
from loyalty.app.ports.passes import ChangeNote
from loyalty.app.stats.ledger import OfferTimezones, is_ledgered, record_pass_changes
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.stats import local_day, membership
from tests.support.apple_passes import an_offer
from tests.support.fakes import CountingOffers, InMemoryLedger, TableChangeRecord
from tests.support.passes import fresh_pass

NOTE = ChangeNote("STAMP", "user-1", "north")


def moved(pass_: Pass, minutes: int = 1, **changes: object) -> Pass:
    at = (
        datetime.fromisoformat(pass_.updated_at.replace("Z", "+00:00")) + timedelta(minutes=minutes)
    ).astimezone(UTC)
    iso = at.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return replace(pass_, version=pass_.version + 1, updated_at=iso, **changes)  # type: ignore[arg-type]


def offer(timezone: str) -> Offer:
    pass_ = fresh_pass()
    return an_offer(pass_.business_id, offer_id=pass_.offer_id, timezone=timezone)


# ---------------------------------------------------------------- which records are changes


def test_a_change_is_a_new_version_that_names_what_it_was() -> None:
    pass_ = fresh_pass()
    later = moved(pass_, current_stamps=1)
    assert is_ledgered(PassWritten(None, pass_, ChangeNote("ENROLL", "customer")))
    assert is_ledgered(PassWritten(pass_, later, NOTE))
    # A write that kept only an idempotency answer: the version stays, the note is the last change's.
    assert not is_ledgered(PassWritten(later, replace(later), NOTE))
    # A wallet redraw (the version moves, the note is removed), or an item from before the notes.
    assert not is_ledgered(PassWritten(pass_, moved(pass_), None))


def test_each_change_is_one_event_counted_on_its_day_in_the_offers_time_zone() -> None:
    pass_ = replace(fresh_pass(), updated_at="2026-11-23T02:30:00.000Z")
    stamped = moved(pass_, current_stamps=1, lifetime_stamps=1)
    offers = CountingOffers(offer("America/New_York"))
    ledger = InMemoryLedger()
    failed = record_pass_changes(
        ledger,
        offers,
        [
            TableChangeRecord("1", PassWritten(None, pass_, ChangeNote("ENROLL", "customer"))),
            TableChangeRecord("2", PassWritten(pass_, stamped, NOTE)),
            TableChangeRecord("3", PassWritten(stamped, replace(stamped), NOTE)),  # an answer kept: nothing
            TableChangeRecord("4", None),  # an issuance, a customer: not the ledger's
        ],
    )
    assert failed == []
    assert [(e.note.kind, e.pass_.version, e.day) for e in ledger.events.values()] == [
        ("ENROLL", 1, "2026-11-22"),
        ("STAMP", 2, "2026-11-22"),
    ]
    assert ledger.days == Counter(
        {(pass_.offer_id, "2026-11-22", "enrollments"): 1, (pass_.offer_id, "2026-11-22", "stamps"): 1}
    )
    assert ledger.members == Counter(
        {
            (pass_.offer_id, "active"): 1,
            (pass_.offer_id, "rewards=0"): 1,
            (pass_.offer_id, f"lastDay={stamped.last_activity_at[:10]}"): 1,
        }
    )
    assert offers.reads == [pass_.offer_id], "the offer is read once for the batch"


def test_an_unknown_offer_counts_in_utc() -> None:
    zones = OfferTimezones(CountingOffers())
    assert zones("off_gone") == "UTC"
    assert zones("off_gone") == "UTC" and zones.reads == 1


def test_a_prize_across_tiers_counts_a_tier_upgrade() -> None:
    full = replace(fresh_pass(), current_stamps=5)
    claimed = moved(full, current_stamps=0, rewards_claimed=1)
    ledger = InMemoryLedger()
    note = ChangeNote("PRIZE", "user-1", "north", tier_upgrade=True)
    record_pass_changes(ledger, CountingOffers(), [TableChangeRecord("1", PassWritten(full, claimed, note))])
    day = local_day(claimed.updated_at, "UTC")
    assert ledger.days == Counter(
        {(full.offer_id, day, "prizes"): 1, (full.offer_id, day, "tierUpgrades"): 1}
    )


# ---------------------------------------------------------------- failures come back in order


def history(length: int) -> list[TableChangeRecord]:
    pass_ = fresh_pass()
    records = [TableChangeRecord("0", PassWritten(None, pass_, ChangeNote("ENROLL", "customer")))]
    for n in range(1, length):
        later = moved(pass_, current_stamps=pass_.current_stamps + 1)
        records.append(TableChangeRecord(str(n), PassWritten(pass_, later, NOTE)))
        pass_ = later
    return records


def test_what_the_writer_could_not_write_comes_back_from_the_first_unwritten_change_on() -> None:
    records = history(5)
    records.insert(3, TableChangeRecord("2b", None))  # another item's record between two changes
    ledger = InMemoryLedger()
    ledger.fail_after = 2
    assert record_pass_changes(ledger, CountingOffers(), records) == ["2", "3", "4"]
    assert sorted(version for _, _, version in ledger.events) == [1, 2]


def test_an_unreadable_record_comes_back_with_every_record_after_it() -> None:
    records = history(4)
    records.insert(2, TableChangeRecord("1b", None, unreadable=True))
    ledger = InMemoryLedger()
    assert record_pass_changes(ledger, CountingOffers(), records) == ["1b", "2", "3"]
    assert sorted(version for _, _, version in ledger.events) == [1, 2], "the changes before it are written"


def test_a_change_twice_in_one_batch_is_handed_to_the_writer_once() -> None:
    records = history(3)
    ledger = InMemoryLedger()
    assert record_pass_changes(ledger, CountingOffers(), [*records, records[1], records[2]]) == []
    assert [e.pass_.version for e in ledger.calls[0]] == [1, 2, 3]


# ---------------------------------------------------------------- at least once, counted once

CHANGES = st.sampled_from(
    ["STAMP", "STAMP", "STAMP", "VOID", "PRIZE", "EXPIRE", "REACTIVATE", "KEEP", "REDRAW"]
)


def change(pass_: Pass, kind: str, minutes: int, branch: str) -> tuple[Pass, ChangeNote | None]:
    """What one write does to the pass (the rules are not the point: the counts must follow whatever it did)."""
    if kind == "STAMP":
        stamps = min(pass_.current_stamps + 1, pass_.stamps_required)
        return moved(pass_, minutes, current_stamps=stamps, lifetime_stamps=pass_.lifetime_stamps + 1), NOTE
    if kind == "VOID":
        return moved(pass_, minutes, current_stamps=max(pass_.current_stamps - 1, 0)), ChangeNote(
            "VOID", "owner", branch, "mistake"
        )
    if kind == "PRIZE":
        claimed = moved(pass_, minutes, current_stamps=0, rewards_claimed=pass_.rewards_claimed + 1)
        return claimed, ChangeNote("PRIZE", "user-1", branch, tier_upgrade=pass_.rewards_claimed % 2 == 0)
    if kind == "EXPIRE":
        return moved(pass_, minutes, status=PassStatus.EXPIRED), ChangeNote("EXPIRE", "system:expiry")
    if kind == "REACTIVATE":
        return moved(pass_, minutes, status=PassStatus.ACTIVE, current_stamps=0), ChangeNote(
            "REACTIVATE", "customer"
        )
    if kind == "REDRAW":
        return moved(pass_, 0), None
    return pass_, NOTE  # KEEP: an answer kept in the pass, nothing else


@st.composite
def streams(draw: st.DrawFn) -> list[TableChangeRecord]:
    """Two customers' passes changing, their writes interleaved on the stream as they happened."""
    base = fresh_pass()
    pass_batch = [base, replace(base, customer_id="cus_zzzzzzzzzzzzzzzzzzzzzzzzzz")]
    records: list[TableChangeRecord] = []
    for pass_ in pass_batch:
        records.append(TableChangeRecord("", PassWritten(None, pass_, ChangeNote("ENROLL", "customer"))))
    for _ in range(draw(st.integers(0, 40))):
        who = draw(st.integers(0, 1))
        kind = draw(CHANGES)
        after, note = change(
            pass_batch[who], kind, draw(st.integers(0, 600)), draw(st.sampled_from(["n", "s"]))
        )
        records.append(TableChangeRecord("", PassWritten(pass_batch[who], after, note)))
        pass_batch[who] = after
    return [replace(record, sequence_number=f"{n:05d}") for n, record in enumerate(records)]


@settings(max_examples=150, deadline=None)
@given(stream=streams(), data=st.data())
def test_any_delivery_at_least_once_ledgers_each_change_once(
    stream: list[TableChangeRecord], data: st.DataObject
) -> None:
    ledger = InMemoryLedger()
    offers = CountingOffers(offer("Asia/Riyadh"))
    position, steps = 0, 0
    while position < len(stream):
        steps += 1
        assert steps < 1000, "the stream made no progress"
        batch = stream[position : position + data.draw(st.integers(1, 10), label="batch size")]
        if data.draw(st.booleans(), label="a record twice in the batch"):
            twice = data.draw(st.integers(0, len(batch) - 1), label="which")
            batch = [*batch[: twice + 1], batch[twice], *batch[twice + 1 :]]
        ledger.fail_after = data.draw(st.none() | st.integers(0, 5), label="writer fails after")
        failed = record_pass_changes(ledger, offers, batch)
        if failed:
            # Lambda hands the batch back from the first record named.
            position = min(n for n, record in enumerate(stream) if record.sequence_number in failed)
        elif data.draw(st.booleans(), label="a redelivered prefix"):
            position = data.draw(st.integers(0, position), label="back to")
        else:
            position += len({record.sequence_number for record in batch})

    changes = [r.change for r in stream if isinstance(r.change, PassWritten) and is_ledgered(r.change)]
    assert sorted(ledger.events) == sorted(
        (c.new.customer_id, c.new.offer_id, c.new.version) for c in changes
    )
    # Counted once each: the kinds of the changes on their days, and the members as the passes stand at the end.
    days: Counter[tuple[str, str, str]] = Counter()
    names = {
        "ENROLL": "enrollments",
        "STAMP": "stamps",
        "VOID": "voids",
        "PRIZE": "prizes",
        "EXPIRE": "expired",
    }
    names["REACTIVATE"] = "reactivated"
    for c in changes:
        assert c.change is not None
        day = local_day(c.new.updated_at, "Asia/Riyadh")
        days[(c.new.offer_id, day, names[c.change.kind])] += 1
        days[(c.new.offer_id, day, "tierUpgrades")] += int(c.change.tier_upgrade)
    assert +ledger.days == +days
    final: dict[str, Pass] = {}
    for record in stream:
        if isinstance(record.change, PassWritten):
            final[record.change.new.customer_id] = record.change.new
    members: Counter[tuple[str, str]] = Counter()
    for pass_ in final.values():
        members.update({(pass_.offer_id, name): n for name, n in membership(pass_).items()})
    assert +ledger.members == +members


def test_offer_time_zones_kept_across_batches_are_read_once_until_they_age() -> None:
    offers = CountingOffers()
    now = [0.0]
    zones = OfferTimezones(offers, max_age=300.0, monotonic=lambda: now[0])
    pass_ = fresh_pass()
    first = [TableChangeRecord("1", PassWritten(None, pass_, ChangeNote("ENROLL", "user-1", None)))]
    second = [
        TableChangeRecord(
            "2", PassWritten(pass_, moved(pass_, current_stamps=1), ChangeNote("STAMP", "user-1", "n"))
        )
    ]
    record_pass_changes(InMemoryLedger(), offers, first, zones)
    record_pass_changes(InMemoryLedger(), offers, second, zones)
    assert zones.reads == 1, "the second batch met the offer already read"
    now[0] = 301.0
    zones(pass_.offer_id)
    assert zones.reads == 2, "read again once its zone aged"
