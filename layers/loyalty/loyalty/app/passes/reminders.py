"""The weekly expiry reminder (rule in `loyalty.domain.reminders`): reads only the month of the activity index
whose passes are due by the expiry's rule (none in most weeks), per reminder setting in use, and reminds each with one conditional write; the wallets hear
of it from the table's stream (`app/wallets/sync.py`), which notifies the phone.

Resumable without a cursor: a reminded pass is refused by the write's condition the second time, so a run that
stops early is finished by the next one over the same week (the same day), and a second run reminds nobody."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.reminders import ReminderIndex
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.offers import Offer
from loyalty.domain.reminders import ReminderWeek, reminder_weeks

DEFAULT_TIME_RESERVE_MS = 10_000


@dataclass
class ReminderRun:
    as_of: datetime
    inactivity_days: int
    weeks_read: list[str] = field(default_factory=list)
    examined: int = 0
    reminded: int = 0
    # Read in a week but asking for another setting (or none), or already reminded / active since.
    other_setting: int = 0
    not_due: int = 0
    index_items_read: int = 0
    other_items_read: int = 0
    finished: bool = False

    def summary(self) -> dict[str, Any]:
        return {
            "reminded": self.reminded,
            "examined": self.examined,
            "asOf": to_iso(self.as_of),
            "days": self.inactivity_days,
            "weeksRead": self.weeks_read,
            "otherSetting": self.other_setting,
            "notDue": self.not_due,
            "indexItemsRead": self.index_items_read,
            "otherItemsRead": self.other_items_read,
            "finished": self.finished,
        }


def send_expiry_reminders(
    index: ReminderIndex,
    offers: OfferSource,
    as_of: datetime,
    inactivity_days: int,
    *,
    clock: Clock,
    remaining_ms: Callable[[], int] | None = None,
    time_reserve_ms: int = DEFAULT_TIME_RESERVE_MS,
    whole_months: bool = True,
) -> ReminderRun:
    run = ReminderRun(as_of=as_of, inactivity_days=inactivity_days)
    known: dict[str, Offer | None] = {}

    def out_of_time() -> bool:
        return remaining_ms is not None and remaining_ms() < time_reserve_ms

    def weeks_of(offer_id: str) -> int:
        if offer_id not in known:
            known[offer_id] = offers.get(offer_id)
            run.other_items_read += 1
        offer = known[offer_id]
        return reminder_weeks(offer.expiry_reminder_days) if offer is not None else 0

    settings, read = index.weeks_in_use()
    run.other_items_read += read
    for weeks in sorted(settings):
        week = ReminderWeek(as_of, inactivity_days, weeks, whole_months)
        run.weeks_read.append(week.monday)
        for shard in range(index.shards):
            resume_after: Mapping[str, Any] | None = None
            while True:
                if out_of_time():
                    return run
                page = index.week_page(shard, week, resume_after)
                run.index_items_read += page.items_read
                for idle in page.passes:
                    if out_of_time():
                        return run
                    run.examined += 1
                    if weeks_of(idle.offer_id) != weeks:
                        run.other_setting += 1
                    elif index.remind(idle, week, to_iso(clock())):
                        run.reminded += 1
                    else:
                        run.not_due += 1
                if page.resume_after is None:
                    break
                resume_after = page.resume_after
    run.finished = True
    return run
