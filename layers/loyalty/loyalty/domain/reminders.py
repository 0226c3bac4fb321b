"""The expiry reminder: a quiet pass hears, once per quiet period, that it will expire unless its holder visits.

Rule. An offer's `expiryReminderDays` (N, 0..60, default 14; 0 = off) asks for the reminder at least N days before
the pass expires (D = PASS_INACTIVITY_EXPIRATION_DAYS). The reminder runs in the weekly job, right after the
expiry, and reads the activity index by the same rule as the expiry (decision 0021: the weekly expiry at T expires
the passes last active in a month that ended by `T − D`). The run on day T reminds, per setting in use, the passes
the expiry run of `T + 7·⌈N/7⌉` expires and the one a week before it does not: the month (if any) that ends between
`T + 7·⌈N/7⌉ − 7 − D` and `T + 7·⌈N/7⌉ − D`, every active pass of which not yet reminded for that activity is
reminded; successive weekly runs read successive months, so each pass is reminded once in its quiet period, exactly
7·⌈N/7⌉ days before the run that expires it (14 for the default), never fewer than N. A visit starts a new quiet
period (a new `lastActivityAt`) and so a new reminder.

The reminder is a notice about the card itself, so it goes to every holder, whatever their marketing consent."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import Pass

DEFAULT_REMINDER_DAYS = 14
MAX_REMINDER_DAYS = 60
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def reminder_weeks(days: int) -> int:
    """How many whole weeks ahead of the limit a setting of `days` reads the index (0: off)."""
    return math.ceil(days / 7) if days > 0 else 0


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class ReminderWeek:
    """What one weekly run reads for one setting (`weeks` = reminder_weeks(N)): the months of last activity whose
    passes the expiry run `weeks` weeks from now expires and the run a week earlier does not (the weekly expiry
    counts whole months, decision 0021). Most weeks no month turns there, and the run reads nothing; in the week
    one does, it reads that month of the activity index, every entry of which is due (decision 0021f)."""

    as_of: datetime
    inactivity_days: int
    weeks: int
    # False for an operator's run as of an exact moment, whose expiry judges that moment (ExpiryCutoff): the week
    # holding `as_of + 7·weeks − D` is due (the months holding it are read; the write's condition keeps the week).
    whole_months: bool = True

    def _cutoff(self, weeks_ahead: int) -> datetime:
        moment = self.as_of + timedelta(days=7 * weeks_ahead - self.inactivity_days)
        if not self.whole_months:  # the week holding `as_of + 7·weeks − D`: its Monday, and the one after
            target = self.as_of + timedelta(days=7 * self.weeks - self.inactivity_days)
            monday = (target - timedelta(days=target.weekday())).replace(
                hour=0, minute=0, second=0, microsecond=0
            )
            return monday + timedelta(days=7 * (weeks_ahead - self.weeks + 1))
        return _month_start(moment)

    @property
    def first_activity(self) -> str:
        """The earliest last activity of a pass due (inclusive): the month the earlier run's cutoff lies in."""
        return to_iso(self._cutoff(self.weeks - 1))

    @property
    def after_last_activity(self) -> str:
        """Where the due passes' last activity ends (exclusive): the month the expiry's cutoff lies in."""
        return to_iso(self._cutoff(self.weeks))

    @property
    def months(self) -> list[str]:
        """The index's months to read (`YYYY-MM`), oldest first: none, or one."""
        month, end, found = parse_iso(self.first_activity), parse_iso(self.after_last_activity), []
        if not self.whole_months:
            return sorted({month.strftime("%Y-%m"), (end - timedelta(milliseconds=1)).strftime("%Y-%m")})
        while month < end:
            found.append(month.strftime("%Y-%m"))
            month = _month_start(month + timedelta(days=32))
        return found

    @property
    def monday(self) -> str:
        """The run's label in its summary: the months read, or "" when none is due."""
        return ",".join(self.months)


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
