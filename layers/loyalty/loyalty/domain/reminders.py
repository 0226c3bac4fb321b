"""The expiry reminder: a quiet pass hears, once per quiet period, that it will expire unless its holder visits.

Rule. An offer's `expiryReminderDays` (N, 0..60, default 14; 0 = off) asks for the reminder at least N days before
the pass's inactivity limit (`lastActivityAt + D`, D = PASS_INACTIVITY_EXPIRATION_DAYS). The reminder runs in the
weekly job, right after the expiry, and reads the activity index as the expiry does. The run on day T is due the
week holding `T + 7·⌈N/7⌉ − D` (per reminder setting in use), and reminds every active pass last active in that week and not
yet reminded for that activity; successive weekly runs are due successive weeks, so each pass is reminded once in
its quiet period. (The index keys the month of the last activity, decision 0021: the run reads the month or two
holding the week, and the write's condition leaves the rest of the month alone.) With Sunday runs and D = 90 the reminder lands 7·⌈N/7⌉ to 7·⌈N/7⌉ + 7 days before the limit (14 to 21 days for the
default), never fewer than N. A visit starts a new quiet period (a new `lastActivityAt`) and so a new reminder.

The reminder is a notice about the card itself, so it goes to every holder, whatever their marketing consent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.expiry import activity_week
from loyalty.domain.passes import Pass

DEFAULT_REMINDER_DAYS = 14
MAX_REMINDER_DAYS = 60
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def reminder_weeks(days: int) -> int:
    """How many whole weeks ahead of the limit a setting of `days` reads the index (0: off)."""
    return math.ceil(days / 7) if days > 0 else 0


@dataclass(frozen=True)
class ReminderWeek:
    """The week of the activity index one run reads for one setting (`weeks` = reminder_weeks(N))."""

    as_of: datetime
    inactivity_days: int
    weeks: int

    @property
    def monday(self) -> str:
        return activity_week(to_iso(self.as_of + timedelta(days=7 * self.weeks - self.inactivity_days)))

    @property
    def first_activity(self) -> str:
        """The earliest last activity of a pass in that week (inclusive)."""
        return f"{self.monday}T00:00:00.000Z"

    @property
    def after_last_activity(self) -> str:
        """The week's end (exclusive)."""
        return to_iso(parse_iso(self.first_activity) + timedelta(days=7))


def expires_on(pass_: Pass, inactivity_days: int) -> str:
    """The day (UTC, YYYY-MM-DD) the pass reaches its inactivity limit."""
    return (parse_iso(pass_.last_activity_at) + timedelta(days=inactivity_days)).date().isoformat()


def reminder_text(pass_: Pass, inactivity_days: int) -> tuple[str, str]:
    """What the holder reads, in English and Arabic."""
    day = expires_on(pass_, inactivity_days)
    stamps = pass_.current_stamps
    noun = "stamp" if stamps == 1 else "stamps"
    english = f"Your card expires on {day} — visit to keep your {stamps} {noun}"
    arabic = (
        f"تنتهي بطاقتك في {day.translate(_ARABIC_DIGITS)} — زرنا لتحتفظ بطوابعك "
        f"({str(stamps).translate(_ARABIC_DIGITS)})"
    )
    return english, arabic


def notice_for(pass_: Pass, inactivity_days: int, language: str) -> str | None:
    """The reminder in the holder's language while it stands (sent for this quiet period), else None."""
    if not pass_.reminder_shown:
        return None
    english, arabic = reminder_text(pass_, inactivity_days)
    return arabic if language == "ar" else english
