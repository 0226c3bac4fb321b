"""The tier ladder: defaults, validation of a business's custom ladder, and resolution from rewards claimed.

A customer's tier is never stored; it is derived here from `rewardsClaimed` and the ladder in force, so a
changed ladder re-ranks every customer at once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.numbers import whole_number

MAX_TIERS = 10
MAX_NAME_LENGTH = 40
MAX_ICON_LENGTH = 16
# Keeps every count a DynamoDB number can hold exactly and a dashboard can display.
MAX_REWARDS_BOUND = 1_000_000

_TIER_ID = re.compile(r"[a-z0-9-]{1,32}")
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Tier:
    id: str
    name: str
    name_ar: str
    min_rewards: int
    max_rewards: int | None
    icon: str
    color: str | None = None

    def contains(self, rewards_claimed: int) -> bool:
        return self.min_rewards <= rewards_claimed and (
            self.max_rewards is None or rewards_claimed <= self.max_rewards
        )


@dataclass(frozen=True)
class TierStanding:
    current: Tier | None
    next: Tier | None
    rewards_claimed: int
    rewards_to_next: int | None
    is_top: bool


@dataclass(frozen=True)
class TierLadder:
    tiers: tuple[Tier, ...]
    _floors: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.tiers, key=_ladder_position))
        object.__setattr__(self, "tiers", ordered)
        object.__setattr__(self, "_floors", tuple(tier.min_rewards for tier in ordered))

    @classmethod
    def default(cls) -> TierLadder:
        return _DEFAULT_LADDER

    def standing(self, rewards_claimed: int) -> TierStanding:
        if rewards_claimed < 0:
            raise ValueError("rewards claimed cannot be negative")
        # Index of the highest tier whose floor has been reached; the ladder is contiguous once validated,
        # but a count past a bounded tier's ceiling still finds no current tier rather than a wrong one.
        below = bisect_right(self._floors, rewards_claimed) - 1
        current = self.tiers[below] if below >= 0 and self.tiers[below].contains(rewards_claimed) else None
        upcoming = self.tiers[below + 1] if below + 1 < len(self.tiers) else None
        return TierStanding(
            current=current,
            next=upcoming,
            rewards_claimed=rewards_claimed,
            rewards_to_next=upcoming.min_rewards - rewards_claimed if upcoming else None,
            is_top=current is not None and upcoming is None,
        )


def _ladder_position(tier: Tier) -> tuple[int, float]:
    return (tier.min_rewards, float("inf") if tier.max_rewards is None else tier.max_rewards)


_DEFAULT_LADDER = TierLadder(
    (
        Tier("bronze", "Bronze Member", "العضو البرونزي", 1, 2, "🥉", "#CD7F32"),
        Tier("silver", "Silver Member", "العضو الفضي", 3, 5, "🥈", "#C0C0C0"),
        Tier("gold", "Gold Member", "العضو الذهبي", 6, None, "🥇", "#FFD700"),
    )
)


@dataclass(frozen=True)
class TierUpgrade:
    from_tier: Tier | None
    to_tier: Tier

    @property
    def message(self) -> str:
        return f"Upgraded to {self.to_tier.icon} {self.to_tier.name}"

    @property
    def message_ar(self) -> str:
        return f"تمت ترقيتك إلى {self.to_tier.icon} {self.to_tier.name_ar}"


def tier_upgrade(before: TierStanding, after: TierStanding) -> TierUpgrade | None:
    """The upgrade a change of standing amounts to, or None when the customer did not climb."""
    if after.current is None:
        return None
    if before.current is not None and after.current.min_rewards <= before.current.min_rewards:
        return None
    return TierUpgrade(from_tier=before.current, to_tier=after.current)


@dataclass(frozen=True)
class TierConfig:
    enabled: bool
    tiers: tuple[Tier, ...]


def effective_ladder(config: TierConfig | None) -> TierLadder:
    if config is None or not config.enabled or not config.tiers:
        return TierLadder.default()
    return TierLadder(config.tiers)


def parse_tier_config(raw: object, *, field_prefix: str = "") -> TierConfig:
    """Validate a TierConfig body, reporting every problem at once, each naming the field it concerns.

    `field_prefix` names where the config sits in a larger body (`loyaltyTiers`), so the dashboard can point
    at it. A disabled config may carry no tiers; tiers it does carry are still validated, so enabling it
    later is safe.
    """
    problems = _Problems(field_prefix)
    if not isinstance(raw, Mapping):
        problems.add("", "must be an object with `enabled` and `tiers`")
        raise problems.failure()

    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.add("enabled", "must be true or false")

    # A disabled ladder may leave its tiers out; `null` is not a list of tiers (the document says so too).
    raw_tiers = raw.get("tiers") if "tiers" in raw or enabled is not False else []
    if not isinstance(raw_tiers, list):
        problems.add("tiers", "must be a list of tiers")
        raise problems.failure()
    if not raw_tiers and enabled is not False:
        problems.add("tiers", "at least one tier is required")
    if len(raw_tiers) > MAX_TIERS:
        problems.add("tiers", f"at most {MAX_TIERS} tiers are allowed (got {len(raw_tiers)})")

    parsed = [_parse_tier(position, item, problems) for position, item in enumerate(raw_tiers)]
    _check_unique_ids(parsed, problems)
    _check_ranges(parsed, problems)

    if problems:
        raise problems.failure()
    tiers = tuple(draft.tier for draft in parsed if draft.tier is not None)
    return TierConfig(enabled=bool(enabled), tiers=tuple(sorted(tiers, key=_ladder_position)))


class _Problems:
    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._found: list[FieldError] = []

    def add(self, path: str, message: str) -> None:
        joined = ".".join(part for part in (self._prefix, path) if part)
        self._found.append(FieldError(joined or "body", message))

    def __len__(self) -> int:
        return len(self._found)

    def failure(self) -> ValidationFailed:
        return ValidationFailed(list(self._found), message="The loyalty tier configuration is not valid.")


@dataclass
class _TierDraft:
    """What could be read of one tier: its bounds feed the range rules, its Tier exists once all is valid."""

    position: int
    id: str | None = None
    # What the owner calls it: refusals about this tier name it so (its id is a key the owner may never see).
    name: str | None = None
    min_rewards: int | None = None
    max_rewards: int | None = None
    max_valid: bool = False
    tier: Tier | None = None


def _parse_tier(position: int, raw: object, problems: _Problems) -> _TierDraft:
    at = f"tiers[{position}]"
    draft = _TierDraft(position)
    if not isinstance(raw, Mapping):
        problems.add(at, "must be an object")
        return draft
    before = len(problems)

    tier_id = raw.get("id")
    if not isinstance(tier_id, str):
        problems.add(f"{at}.id", "is required: lowercase letters, digits and '-', 1 to 32 characters")
    elif not _TIER_ID.fullmatch(tier_id):
        problems.add(f"{at}.id", "must be lowercase letters, digits and '-', 1 to 32 characters")
    else:
        draft.id = tier_id

    name = _read_name(raw, "name", f"{at}.name", problems)
    name_ar = _read_name(raw, "nameAr", f"{at}.nameAr", problems)
    draft.name = name

    min_rewards = _whole(raw.get("minRewards"))
    if min_rewards is None:
        problems.add(f"{at}.minRewards", "must be a whole number")
    elif min_rewards < 1:
        problems.add(f"{at}.minRewards", "must be at least 1")
    elif min_rewards > MAX_REWARDS_BOUND:
        problems.add(f"{at}.minRewards", f"must be at most {MAX_REWARDS_BOUND}")
    else:
        draft.min_rewards = min_rewards

    raw_max = raw.get("maxRewards")
    max_rewards = _whole(raw_max)
    if "maxRewards" not in raw:
        # Required, as the contract says: a forgotten bound must not silently make the tier open-ended.
        problems.add(f"{at}.maxRewards", "is required: a whole number, or null for no upper bound")
    elif raw_max is not None and max_rewards is None:
        problems.add(f"{at}.maxRewards", "must be a whole number, or null for no upper bound")
    elif max_rewards is not None and max_rewards > MAX_REWARDS_BOUND:
        problems.add(f"{at}.maxRewards", f"must be at most {MAX_REWARDS_BOUND}")
    elif max_rewards is not None and draft.min_rewards is not None and max_rewards < draft.min_rewards:
        problems.add(f"{at}.maxRewards", f"must not be less than minRewards ({draft.min_rewards})")
    else:
        draft.max_rewards = max_rewards
        draft.max_valid = True

    icon = raw.get("icon")
    if not isinstance(icon, str) or not icon.strip():
        problems.add(f"{at}.icon", "is required (an emoji, for example)")
        icon = None
    elif len(icon) > MAX_ICON_LENGTH:
        problems.add(f"{at}.icon", f"must be at most {MAX_ICON_LENGTH} characters")

    color = raw.get("color")
    if color is not None and (not isinstance(color, str) or not _COLOR.fullmatch(color)):
        problems.add(f"{at}.color", "must be a colour written #RRGGBB")

    complete = len(problems) == before
    if complete and draft.id and name and name_ar and icon and draft.min_rewards is not None:
        draft.tier = Tier(draft.id, name, name_ar, draft.min_rewards, draft.max_rewards, icon, color)
    return draft


def _read_name(raw: Mapping[str, Any], key: str, path: str, problems: _Problems) -> str | None:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(path, "is required and must not be empty")
        return None
    if len(value) > MAX_NAME_LENGTH:
        problems.add(path, f"must be at most {MAX_NAME_LENGTH} characters")
        return None
    return value


def _whole(value: object) -> int | None:
    return whole_number(value)


@dataclass(frozen=True)
class _Span:
    position: int
    label: str
    low: int
    high: int | None


def _label(draft: _TierDraft) -> str:
    """How a refusal names a tier: its name as the owner wrote it, else its id, else its place."""
    return f"“{draft.name}”" if draft.name else f"'{draft.id}'" if draft.id else f"tiers[{draft.position}]"


def _span(draft: _TierDraft) -> _Span | None:
    if draft.min_rewards is None or not draft.max_valid:
        return None
    return _Span(draft.position, _label(draft), draft.min_rewards, draft.max_rewards)


def _check_unique_ids(parsed: list[_TierDraft], problems: _Problems) -> None:
    first_seen: dict[str, _TierDraft] = {}
    for position, draft in enumerate(parsed):
        tier_id = draft.id
        if tier_id is None:
            continue
        if tier_id in first_seen:
            problems.add(
                f"tiers[{position}].id", f"'{tier_id}' is already used by {_label(first_seen[tier_id])}"
            )
        else:
            first_seen[tier_id] = draft


def _check_ranges(parsed: list[_TierDraft], problems: _Problems) -> None:
    """Overlaps, gaps and open ends, judged on the ladder as sorted by minRewards (request order is free).

    They are judged only once every tier's own bounds are valid: a tier whose range is unknown would otherwise
    show up as a gap or overlap next to it, a second report of the one problem already named.
    """
    found = [_span(draft) for draft in parsed]
    if not found or any(span is None for span in found):
        return
    spans = sorted(
        (span for span in found if span is not None),
        key=lambda span: (span.low, float("inf") if span.high is None else span.high),
    )
    # `reach` is the highest count covered so far and the tier covering it; an open-ended tier that is not the
    # highest is reported once, and the tiers above it are then judged against each other only.
    reach: _Span | None = None
    for span in spans[:-1]:
        if span.high is None:
            problems.add(
                f"tiers[{span.position}].maxRewards",
                "only the highest tier may be open-ended (maxRewards null)",
            )
    for span in spans:
        if reach is not None and reach.high is not None:
            if span.low <= reach.high:
                problems.add(
                    f"tiers[{span.position}].minRewards",
                    f"overlaps tier {reach.label} ({reach.low}–{reach.high})",
                )
            elif span.low > reach.high + 1:
                problems.add(
                    f"tiers[{span.position}].minRewards",
                    f"leaves a gap after tier {reach.label}: no tier covers "
                    f"{_count_range(reach.high + 1, span.low - 1)}",
                )
        if reach is None or reach.high is None or span.high is None or span.high > reach.high:
            reach = span
    highest = spans[-1]
    if highest.high is not None:
        problems.add(
            f"tiers[{highest.position}].maxRewards",
            "the highest tier must be open-ended (maxRewards null)",
        )


def _count_range(low: int, high: int) -> str:
    return f"{low} rewards" if low == high else f"{low}–{high} rewards"
