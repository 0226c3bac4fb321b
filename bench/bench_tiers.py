"""Tier resolution on a 10-tier ladder, against the seed's budget of 10 ms per resolution."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bench.figures import Figure
from loyalty.domain.tiers import MAX_TIERS, TierLadder, effective_ladder, parse_tier_config
from loyalty.entrypoints.http.render import standing_block

SEED_BUDGET_SECONDS = 0.010
RESOLUTIONS = 200_000
VALIDATIONS = 5_000
REPEATS = 5


def ten_tier_config() -> dict[str, Any]:
    tiers = []
    for position in range(MAX_TIERS):
        low = position * 5 + 1
        tiers.append(
            {
                "id": f"tier-{position}",
                "name": f"Tier {position}",
                "nameAr": f"المستوى {position}",
                "minRewards": low,
                "maxRewards": low + 4 if position < MAX_TIERS - 1 else None,
                "icon": "⭐",
                "color": "#A0B0C0",
            }
        )
    return {"enabled": True, "tiers": tiers}


def seconds_per_resolution(ladder: TierLadder) -> float:
    # Counts below, inside, on the edges of and above every tier, as a scanner's customers would have them.
    counts = [n % 60 for n in range(RESOLUTIONS)]
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for claimed in counts:
            standing_block(ladder.standing(claimed))
        samples.append((time.perf_counter() - started) / RESOLUTIONS)
    return statistics.median(samples)


def seconds_per_validation(config: dict[str, Any]) -> float:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(VALIDATIONS):
            parse_tier_config(config)
        samples.append((time.perf_counter() - started) / VALIDATIONS)
    return statistics.median(samples)


def run() -> list[Figure]:
    config = ten_tier_config()
    ladder = effective_ladder(parse_tier_config(config))
    per_resolution = seconds_per_resolution(ladder)
    per_validation = seconds_per_validation(config)
    speedup = SEED_BUDGET_SECONDS / per_resolution
    return [
        Figure("seed budget per tier resolution", SEED_BUDGET_SECONDS * 1e6, "µs"),
        Figure(
            "tier resolution, 10-tier ladder (standing + tier block)",
            per_resolution * 1e6,
            "µs",
            f"x{speedup:,.0f} faster than the seed budget (aim: > x1000)",
        ),
        Figure("tier resolutions per second, one core", 1 / per_resolution, "per s", f"median of {REPEATS}"),
        Figure("10-tier config validation", per_validation * 1e6, "µs", f"{1 / per_validation:,.0f} per s"),
    ]
