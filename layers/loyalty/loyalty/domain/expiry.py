"""Inactivity expiry rules: when a pass counts as abandoned.

A pass's activity is its enrollment, its scans and its prize confirmations; the pass records the latest one in
`lastActivityAt`. A pass whose last activity is strictly older than the cutoff (`as_of - days`) expires.

The activity index keys a pass by the calendar month (UTC) of its last activity, so a scan moves the index entry
once a month at most (decision 0021). The weekly job counts idleness in whole months: it expires the passes whose
last activity's month ended by the cutoff (`whole_months`), so it reads only what it expires; an operator's run
for a given moment (`--as-of`) judges that exact moment instead, reading the cutoff's month too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from loyalty.domain.clock import parse_iso, to_iso

DEFAULT_INACTIVITY_DAYS = 90
# A ceiling keeps the cutoff a real calendar date; a decade without a visit is already beyond any sane policy.
MAX_INACTIVITY_DAYS = 3650


def activity_week(last_activity_at: str) -> str:
    """`YYYY-MM-DD` of the Monday (UTC) of the week holding `last_activity_at` (any ISO-8601 timestamp).

    The activity index sorts passes by this bucket instead of the exact moment, so the entry changes once a week
    rather than on every scan. A bucket never sorts after its own activity (`2026-08-24` < `2026-08-26T...`), and
    followed by `#` it sorts below any cutoff of the same day (`'#'` < `'T'`): every pass idle since before a
    cutoff sorts below it, together with the passes active in the cutoff's own week before or after it, which
    the job reads and keeps."""
    moment = parse_iso(last_activity_at)
    return (moment - timedelta(days=moment.weekday())).date().isoformat()


def activity_month(last_activity_at: str) -> str:
    """`YYYY-MM` (UTC) of `last_activity_at` (any ISO-8601 timestamp): the activity index's sort key.

    A month sorts below every moment of itself and after (`2026-08` < `2026-08-01T...`), and not below itself: so
    `GSI1SK < <month>` reads exactly the passes last active before that month began. Entries from before (a week's
    Monday or the exact moment, then `#` and the ids) sort below a month bound exactly when their day does."""
    return parse_iso(last_activity_at).strftime("%Y-%m")


class InvalidInactivityDays(ValueError):
    """The configured or requested number of days is not a positive integer within range."""


def parse_inactivity_days(raw: str | int | None, name: str = "inactivity days") -> int:
    """`PASS_INACTIVITY_EXPIRATION_DAYS` or `--days`: a whole number of days from 1 to MAX_INACTIVITY_DAYS;
    absent or blank means the default. Every reader of the setting (the weekly job, the pass's terms, the
    operator's command) parses it here, so they cannot disagree.

    Booleans, fractions and numbers written with signs or spaces inside are refused rather than guessed at:
    a typo in this setting would expire real customers' passes. The refusal names the setting (`name`) and
    the rule in one line, for an operator to read, not a traceback.
    """
    rule = f"{name} must be a whole number of days from 1 to {MAX_INACTIVITY_DAYS}"
    if raw is None:
        return DEFAULT_INACTIVITY_DAYS
    if isinstance(raw, bool):
        raise InvalidInactivityDays(f"{rule}, not {raw!r}")
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return DEFAULT_INACTIVITY_DAYS
        if not text.isascii() or not text.isdigit():
            raise InvalidInactivityDays(f"{rule}, not {raw!r}")
        days = int(text)
    else:
        days = raw
    if not 1 <= days <= MAX_INACTIVITY_DAYS:
        raise InvalidInactivityDays(f"{rule}, not {days}")
    return days


@dataclass(frozen=True)
class ExpiryCutoff:
    """The moment before which a pass's last activity means it is abandoned, evaluated as of `as_of`."""

    as_of: datetime
    days: int
    # The weekly schedule's rule: a pass expires once its last activity's whole month lies before the cutoff, so
    # the run reads no pass it keeps (at most a month and the week between runs later than the exact rule).
    whole_months: bool = False

    def __post_init__(self) -> None:
        if self.as_of.tzinfo is None:
            raise ValueError("as_of must be timezone-aware")
        parse_inactivity_days(self.days)

    @property
    def moment(self) -> datetime:
        return self.as_of - timedelta(days=self.days)

    @property
    def iso(self) -> str:
        """The cutoff in the stored timestamp format: comparing strings compares moments."""
        return to_iso(self.moment)

    @property
    def bound(self) -> str:
        """What a last activity (and an activity-index sort key) must sort below to expire: the exact cutoff, or
        under `whole_months` the cutoff's month (`YYYY-MM`), below which sorts every moment of earlier months."""
        return activity_month(self.iso) if self.whole_months else self.iso

    def is_inactive(self, last_activity_at: str) -> bool:
        """True when an activity stamped `last_activity_at` (stored ISO format) is older than the bound."""
        return last_activity_at < self.bound
