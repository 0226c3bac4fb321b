"""Won back: a member the platform reached (an expiry reminder or a campaign) who then came to visit.

The rule, one for the offer's stats (`wonBack`, on the visit's day) and for each campaign's `wonBack`: a visit (a
stamp or a prize) is a win back when it is the first visit after the latest reminder or campaign that reached the
pass, and it came at most 14 days after it.

- The reminder reached the pass when it was written: the pass shows it (`reminder_shown`, no visit since), and its
  write was the pass's last change before the visit unless a campaign came after it (then the campaign is the
  latest reach, and `updatedAt` is the campaign's time: either way the latest reach is `updatedAt`).
- A campaign reached the pass when its mark was written (`campaignAt`); no visit came since when the pass's last
  activity is older than that.
A visit is counted once: the next visit is no longer the first after that reach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from loyalty.domain.clock import parse_iso
from loyalty.domain.passes import Pass

WON_BACK_WITHIN = timedelta(days=14)
VISITS = frozenset({"STAMP", "PRIZE"})


@dataclass(frozen=True)
class WonBack:
    """A visit that won its member back: when the reach was, and the campaign it was (None for a reminder)."""

    reached_at: str
    campaign_id: str | None


def _campaign_reach(pass_: Pass) -> str | None:
    if pass_.campaign_at is None or pass_.campaign_key is None:
        return None
    # No visit since the campaign reached the pass (a visit moves the last activity past it).
    return pass_.campaign_at if pass_.last_activity_at < pass_.campaign_at else None


def campaign_id_of(pass_: Pass) -> str | None:
    if pass_.campaign_key is None:
        return None
    return pass_.campaign_key.rsplit("#", 1)[-1]


def won_back_by(kind: str, before: Pass | None, after: Pass) -> WonBack | None:
    """What a pass change won back, if it is a visit that did: the latest reach before it, within 14 days."""
    if kind not in VISITS or before is None:
        return None
    reaches: list[WonBack] = []
    if before.reminder_shown:
        reaches.append(WonBack(before.updated_at, None))
    campaign_at = _campaign_reach(before)
    if campaign_at is not None:
        reaches.append(WonBack(campaign_at, campaign_id_of(before)))
    if not reaches:
        return None
    latest = max(reaches, key=lambda reach: reach.reached_at)
    if parse_iso(after.updated_at) - parse_iso(latest.reached_at) > WON_BACK_WITHIN:
        return None
    return latest


def campaign_won_back(kind: str, before: Pass | None, after: Pass) -> str | None:
    """The campaign a visit won its recipient back for: the first visit within 14 days after the campaign reached
    the pass (a reminder sent after the campaign does not take it away: the campaign still reached them)."""
    if kind not in VISITS or before is None:
        return None
    campaign_at = _campaign_reach(before)
    if campaign_at is None or parse_iso(after.updated_at) - parse_iso(campaign_at) > WON_BACK_WITHIN:
        return None
    return campaign_id_of(before)
