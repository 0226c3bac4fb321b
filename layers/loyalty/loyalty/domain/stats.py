"""What an offer's stats count, and how one change of a pass moves the counts.

Counts are kept as the changes happen (in the change's own transaction, see docs/decisions/0007-stats-counters.md),
so a read costs one item per day (and shard), never a walk over passes or events:
- per day in the offer's time zone (and per branch for what a branch does): enrollments, stamps, voids, prizes,
  tier upgrades, expiries, reactivations;
- members now: active, expired, reward ready, and active members by *rewards claimed*. A tier is derived from
  rewards claimed and the ladder in force, so counting by rewards claimed and ranking at read time keeps the tier
  counts right the moment a ladder change re-ranks everyone, without touching a counter.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from loyalty.domain.at_risk import at_risk_from
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.member_search import EXPIRING_SOON_DAYS
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import Tier, TierLadder
from loyalty.domain.won_back import won_back_by

MAX_RANGE_DAYS = 366
DAY_COUNTERS = (
    "enrollments",
    "stamps",
    "voids",
    "prizes",
    "tierUpgrades",
    "expired",
    "reactivated",
    "wonBack",
)
# A visit within this long after the pass's expiry reminder wins the customer back (counted on the visit's day).
BRANCH_COUNTERS = ("stamps", "voids", "prizes", "tierUpgrades")
_BY_KIND = {
    "ENROLL": "enrollments",
    "REACTIVATE": "reactivated",
    "STAMP": "stamps",
    "VOID": "voids",
    "PRIZE": "prizes",
    "EXPIRE": "expired",
}
REWARDS_PREFIX = "rewards="
# Active members by the UTC day of their last activity ("expiring soon" is a range of these days) and by the UTC day
# they become at risk (domain/at_risk.py; "at risk" is every day before today): both follow from the pass alone, so
# they move only when the pass does, and the stats read them from the same few member items.
LAST_DAY_PREFIX = "lastDay="
RISK_DAY_PREFIX = "riskDay="


@dataclass(frozen=True)
class Tally:
    """What one change adds: to its day (and its branch that day), and to the members as they stand."""

    day: dict[str, int]
    members: dict[str, int]


def membership(pass_: Pass | None) -> Counter[str]:
    """What one pass contributes to the member counts (an erased pass: nothing)."""
    if pass_ is None or pass_.status is PassStatus.ERASED:
        return Counter()
    if pass_.status is PassStatus.EXPIRED:
        return Counter({"expired": 1})
    counted = Counter(
        {
            "active": 1,
            f"{REWARDS_PREFIX}{pass_.rewards_claimed}": 1,
            "rewardReady": int(pass_.reward_ready),
            f"{LAST_DAY_PREFIX}{pass_.last_activity_at[:10]}": 1,
        }
    )
    risk = at_risk_from(pass_)
    if risk is not None:
        counted[f"{RISK_DAY_PREFIX}{risk[:10]}"] = 1
    return counted


def _days_counted(members: Counter[str], prefix: str) -> dict[str, int]:
    return {key.removeprefix(prefix): n for key, n in members.items() if key.startswith(prefix)}


def members_at_risk(members: Counter[str], at: str) -> int:
    """Active members at risk as of `at`, to the day: those whose risk began on a UTC day before today's."""
    today = at[:10]
    return max(sum(n for day, n in _days_counted(members, RISK_DAY_PREFIX).items() if day < today), 0)


def members_expiring_soon(members: Counter[str], at: str, inactivity_days: int) -> int:
    """Active members whose last activity is within EXPIRING_SOON_DAYS of the inactivity limit (as the members'
    segment says it), to the UTC day."""
    cutoff = parse_iso(at) - timedelta(days=inactivity_days)
    low, high = to_iso(cutoff)[:10], to_iso(cutoff + timedelta(days=EXPIRING_SOON_DAYS))[:10]
    return max(sum(n for day, n in _days_counted(members, LAST_DAY_PREFIX).items() if low <= day <= high), 0)


def tally(kind: str, before: Pass | None, after: Pass, *, tier_upgrade: bool = False) -> Tally:
    day: dict[str, int] = {}
    if kind in _BY_KIND:
        day[_BY_KIND[kind]] = 1
    if tier_upgrade:
        day["tierUpgrades"] = 1
    if won_back_by(kind, before, after) is not None:
        day["wonBack"] = 1
    moved = membership(after)
    moved.subtract(membership(before))
    return Tally(day=day, members={name: n for name, n in moved.items() if n})


def local_day(at: str, timezone: str) -> str:
    """The calendar day of a moment in the offer's time zone (its stats' days)."""
    return parse_iso(at).astimezone(ZoneInfo(timezone)).date().isoformat()


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    def days(self) -> list[str]:
        return [(self.start + timedelta(days=n)).isoformat() for n in range((self.end - self.start).days + 1)]


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_range(start: str | None, end: str | None) -> DateRange:
    problems: list[FieldError] = []
    parsed: dict[str, date] = {}
    for name, value in (("from", start), ("to", end)):
        try:
            # Only the contract's YYYY-MM-DD: Python's fromisoformat also reads 20261207 and 2026-W49-1.
            if not _DAY.fullmatch(value or ""):
                raise ValueError(value)
            parsed[name] = date.fromisoformat(value or "")
        except ValueError:
            problems.append(FieldError(name, "is required as YYYY-MM-DD"))
    if not problems:
        span = (parsed["to"] - parsed["from"]).days + 1
        if span < 1:
            problems.append(FieldError("to", "must not be before from"))
        elif span > MAX_RANGE_DAYS:
            problems.append(FieldError("to", f"a range is at most {MAX_RANGE_DAYS} days"))
    if problems:
        raise ValidationFailed(problems, message="The date range is not valid.")
    return DateRange(parsed["from"], parsed["to"])


def branch_counter(name: str, branch_id: str) -> str:
    return f"{name}@{branch_id}"


@dataclass(frozen=True)
class DayCounts:
    day: str
    counts: Counter[str]


@dataclass(frozen=True)
class OfferActivity:
    """What happened in an offer over a range (every day of it, zeros included; per branch what a branch did), and
    its members now: counts by their counter names (DAY_COUNTERS, BRANCH_COUNTERS; members: active, expired,
    rewardReady), the active members ranked by the ladder in force."""

    offer_id: str
    timezone: str
    span: DateRange
    totals: Counter[str]
    daily: list[DayCounts]
    by_branch: list[tuple[str, Counter[str]]]
    members: Counter[str]
    by_tier: list[tuple[Tier, int]]
    no_tier: int
    # Members as they stand at the request's moment, when it was given (like `members`).
    at_risk: int | None = None
    expiring_soon: int | None = None
    # The offer's wallet delivery counts, when read (app/wallets/delivery.py).
    wallets: dict[str, int] | None = None


def offer_activity(
    offer_id: str,
    timezone: str,
    span: DateRange,
    days: dict[str, Counter[str]],
    members: Counter[str],
    ladder: TierLadder,
    branch_id: str | None,
    *,
    at: str | None = None,
    inactivity_days: int = 90,
) -> OfferActivity:
    """The offer's activity from the stored counters (only what `branch_id` did, when given); with `at`, also how
    many members are at risk and expiring soon as of then."""

    def count(counters: Counter[str], name: str) -> int:
        if branch_id is None:
            return counters[name]
        return counters[branch_counter(name, branch_id)] if name in BRANCH_COUNTERS else 0

    daily = []
    totals: Counter[str] = Counter()
    branches: dict[str, Counter[str]] = {}
    for day in span.days():
        counters = days.get(day, Counter())
        counted = Counter({name: count(counters, name) for name in DAY_COUNTERS})
        totals.update(counted)
        daily.append(DayCounts(day, counted))
        for key, n in counters.items():
            name, _, branch = key.partition("@")
            if branch and (branch_id is None or branch == branch_id):
                branches.setdefault(branch, Counter())[name] += n
    by_rewards = {
        int(key.removeprefix(REWARDS_PREFIX)): n
        for key, n in members.items()
        if key.startswith(REWARDS_PREFIX)
    }
    by_tier = [
        (tier, sum(n for rewards, n in by_rewards.items() if tier.contains(rewards))) for tier in ladder.tiers
    ]
    ranked = sum(n for _, n in by_tier)
    return OfferActivity(
        offer_id,
        timezone,
        span,
        totals,
        daily,
        sorted(branches.items()),
        members,
        by_tier,
        members["active"] - ranked,
        at_risk=members_at_risk(members, at) if at is not None else None,
        expiring_soon=members_expiring_soon(members, at, inactivity_days) if at is not None else None,
    )
