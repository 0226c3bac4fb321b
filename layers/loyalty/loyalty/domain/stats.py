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
from typing import Any
from zoneinfo import ZoneInfo

from loyalty.domain.at_risk import at_risk_from
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.member_search import EXPIRING_SOON_DAYS
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import TierLadder
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


def membership(card: Pass | None) -> Counter[str]:
    """What one pass contributes to the member counts (an erased pass: nothing)."""
    if card is None or card.status is PassStatus.ERASED:
        return Counter()
    if card.status is PassStatus.EXPIRED:
        return Counter({"expired": 1})
    counted = Counter(
        {
            "active": 1,
            f"{REWARDS_PREFIX}{card.rewards_claimed}": 1,
            "rewardReady": int(card.reward_ready),
            f"{LAST_DAY_PREFIX}{card.last_activity_at[:10]}": 1,
        }
    )
    risk = at_risk_from(card)
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


def stats_answer(
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
) -> dict[str, Any]:
    """The contract's stats answer from the stored counters: every day of the range, zeros included."""

    def count(counters: Counter[str], name: str) -> int:
        if branch_id is None:
            return counters[name]
        return counters[branch_counter(name, branch_id)] if name in BRANCH_COUNTERS else 0

    daily = []
    totals: Counter[str] = Counter()
    branches: dict[str, Counter[str]] = {}
    for day in span.days():
        counters = days.get(day, Counter())
        for name in DAY_COUNTERS:
            totals[name] += count(counters, name)
        daily.append(
            {
                "date": day,
                **{name: count(counters, name) for name in ("enrollments", "stamps", "voids", "prizes")},
            }
        )
        for key, n in counters.items():
            name, _, branch = key.partition("@")
            if branch and (branch_id is None or branch == branch_id):
                branches.setdefault(branch, Counter())[name] += n
    by_rewards = {
        int(key.removeprefix(REWARDS_PREFIX)): n
        for key, n in members.items()
        if key.startswith(REWARDS_PREFIX)
    }
    by_tier = []
    ranked = 0
    for tier in ladder.tiers:
        tier_count = sum(n for rewards, n in by_rewards.items() if tier.contains(rewards))
        ranked += tier_count
        by_tier.append(
            {
                "tierId": tier.id,
                "name": tier.name,
                "nameAr": tier.name_ar,
                "icon": tier.icon,
                "count": tier_count,
            }
        )
    return {
        "offerId": offer_id,
        "from": span.start.isoformat(),
        "to": span.end.isoformat(),
        "timezone": timezone,
        "totals": {
            "enrollments": totals["enrollments"],
            "stamps": totals["stamps"],
            "voids": totals["voids"],
            "prizes": totals["prizes"],
            "tierUpgrades": totals["tierUpgrades"],
            "expired": totals["expired"],
            "reactivated": totals["reactivated"],
            "wonBack": totals["wonBack"],
            # Members as they stand at `at` (the request's moment), like `members` below.
            **(
                {
                    "atRisk": members_at_risk(members, at),
                    "expiringSoon": members_expiring_soon(members, at, inactivity_days),
                }
                if at is not None
                else {}
            ),
        },
        "daily": daily,
        "byBranch": [
            {"branchId": branch, "stamps": c["stamps"], "voids": c["voids"], "prizes": c["prizes"]}
            for branch, c in sorted(branches.items())
        ],
        "members": {
            "active": members["active"],
            "expired": members["expired"],
            "rewardReady": members["rewardReady"],
            "byTier": by_tier,
            "noTier": members["active"] - ranked,
        },
    }
