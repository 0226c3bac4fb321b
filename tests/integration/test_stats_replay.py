"""Stats against DynamoDB Local: a random history of enrollments, stamps, voids, prizes, expiries and
reactivations, replayed through the use cases over several days, the table's stream drained through the ledger, and the stats
compared with a count of the history itself (the events of every pass, and the passes as they stand)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.activity_index import ActivityIndex, IdlePass
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.stats import StatsReader
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.passes.commands import Actor
from loyalty.app.stats.offer_stats import offer_stats
from loyalty.domain.clock import to_iso
from loyalty.domain.errors import DomainError
from loyalty.domain.expiry import activity_week
from loyalty.domain.passes import PassStatus
from loyalty.domain.stats import local_day
from loyalty.domain.tiers import TierLadder
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import stats_answer
from loyalty_local.cloud.ledger_drain import drain
from tests.support import pass_actions
from tests.support.offers import create_offer, set_tier_config

pytestmark = pytest.mark.integration

BUSINESS = "biz_statsreplay00000000000"
TIMEZONE = "America/New_York"
START = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # across the spring clock change in New York
TWO_TIER = {
    "enabled": True,
    "tiers": [
        {
            "id": "regular",
            "name": "Regular",
            "nameAr": "دائم",
            "minRewards": 1,
            "maxRewards": 1,
            "icon": "⭐",
        },
        {"id": "vip", "name": "VIP", "nameAr": "مميز", "minRewards": 2, "maxRewards": None, "icon": "💎"},
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def actor(branch: str, owner: bool = False) -> Actor:
    return Actor(f"user-{branch}", BUSINESS, branch, is_owner=owner)


@pytest.mark.parametrize("seed", [2026])
def test_stats_equal_a_count_of_the_history(ddb: Any, table_name: str, seed: int) -> None:
    rng = random.Random(seed)
    clock = Clock()
    offers = DynamoOfferStore(ddb, table_name)
    store = DynamoPassStore(ddb, table_name)
    # Replayed emails are new or already members; a member's second enroll is a 202 whose mail is not the point.
    recovery = RecoveryMail.never_mailing()
    expiry = ActivityIndex(ddb, table_name)
    offer = create_offer(offers, BUSINESS, {"name": "Replay", "stampsRequired": 2}, clock=clock)
    offers.edit(offer.offer_id, BUSINESS, _edit(timezone=TIMEZONE), at=to_iso(clock()))
    emails: list[str] = []
    members: dict[str, str] = {}

    for _ in range(160):
        clock.now += timedelta(minutes=rng.randint(1, 400))
        move = rng.random()
        try:
            if move < 0.15 or not members:
                email = f"{rng.randrange(10**9)}@example.com"
                emails.append(email)
                form = EnrollmentRequest(email=email, name="Replay")
                answer = pass_actions.enroll(store, clock, offer.offer_id, form, recovery)
                if answer.status == 202:  # an email already enrolled: its pass is mailed, nothing changes
                    continue
                members[email] = answer.body["customerId"]
                continue
            email = rng.choice(emails)
            customer = members[email]
            branch = rng.choice(["north", "south"])
            if move < 0.6:
                pass_actions.scan(store, clock, actor(branch), customer, offer.offer_id)
            elif move < 0.7:
                pass_actions.void_stamp(
                    store, clock, actor(branch, owner=True), customer, offer.offer_id, None
                )
            elif move < 0.85:
                pass_actions.confirm_prize(store, clock, actor(branch), customer, offer.offer_id)
            elif move < 0.93:
                pass_ = store.get_pass(customer, offer.offer_id)
                assert pass_ is not None
                expiry.expire(
                    IdlePass(customer, offer.offer_id, activity_week(pass_.last_activity_at)),
                    to_iso(clock.now + timedelta(days=1)),
                    to_iso(clock()),
                )
            else:
                # A member enrolling again is mailed their pass (202): nothing changes, nothing is counted.
                form = EnrollmentRequest(email=email, name="Replay")
                pass_actions.enroll(store, clock, offer.offer_id, form, recovery)
        except DomainError:
            pass  # a full card, an empty one, an expired pass: refused, and nothing counted

    # A ladder change afterwards re-ranks everyone: the tier counts follow with no counter written.
    set_tier_config(offers, BUSINESS, offer.offer_id, TWO_TIER, clock=clock)

    # The ledger (ledger on AWS) writes the events and counters from the table's stream.
    drain(ddb, table_name)
    first, last = local_day(to_iso(START), TIMEZONE), local_day(to_iso(clock()), TIMEZONE)
    activity = offer_stats(
        offers, StatsReader(ddb, table_name), BUSINESS, offer.offer_id, start=first, end=last
    )
    stats = stats_answer(activity, {})
    expected = _count_history(store, offer.offer_id, set(members.values()))
    assert stats["totals"] == expected["totals"]
    assert {d["date"]: d for d in stats["daily"] if any(v for k, v in d.items() if k != "date")} == expected[
        "daily"
    ]
    assert len(stats["daily"]) == (date.fromisoformat(last) - date.fromisoformat(first)).days + 1
    assert [{k: v for k, v in row.items() if k != "branchName"} for row in stats["byBranch"]] == expected[
        "byBranch"
    ]
    assert stats["members"] == expected["members"]
    assert stats["totals"]["stamps"] > 20 and stats["totals"]["expired"] > 0, (
        "the history exercised every kind"
    )


def _edit(**changes: Any) -> Any:
    from loyalty.domain.offers import parse_offer_edit

    return parse_offer_edit(changes)


def _count_history(store: DynamoPassStore, offer_id: str, customers: set[str]) -> dict[str, Any]:
    totals: Counter[str] = Counter()
    daily: dict[str, Counter[str]] = {}
    branches: dict[str, Counter[str]] = {}
    names = {
        "ENROLL": "enrollments",
        "STAMP": "stamps",
        "VOID": "voids",
        "PRIZE": "prizes",
        "EXPIRE": "expired",
        "REACTIVATE": "reactivated",
    }
    default = TierLadder.default()
    status: Counter[str] = Counter()
    by_tier: Counter[str | None] = Counter()
    ladder = _two_tier()
    for customer in customers:
        events, cursor = [], None
        while True:
            page, cursor = store.events(customer, offer_id, limit=100, after_sort=cursor)
            events.extend(page)
            if cursor is None:
                break
        for event in events:
            name = names[event["kind"]]
            day = local_day(event["at"], TIMEZONE)
            totals[name] += 1
            daily.setdefault(day, Counter())[name] += 1
            if event["kind"] in ("STAMP", "VOID", "PRIZE"):
                branches.setdefault(event["branchId"], Counter())[name] += 1
            if event["kind"] == "PRIZE":
                rewards = int(event["rewardsClaimed"])
                if default.standing(rewards - 1).current != default.standing(rewards).current:
                    totals["tierUpgrades"] += 1
        pass_ = store.get_pass(customer, offer_id)
        assert pass_ is not None
        if pass_.status is PassStatus.ACTIVE:
            status["active"] += 1
            status["rewardReady"] += int(pass_.reward_ready)
            current = ladder.standing(pass_.rewards_claimed).current
            by_tier[current.id if current else None] += 1
        else:
            status["expired"] += 1
    return {
        "totals": {
            name: totals[name]
            for name in ("enrollments", "stamps", "voids", "prizes", "tierUpgrades", "expired", "reactivated")
        }
        # No expiry reminder in this history: nobody is won back.
        | {"wonBack": 0},
        "daily": {
            day: {"date": day, **{n: c[n] for n in ("enrollments", "stamps", "voids", "prizes")}}
            for day, c in daily.items()
            if any(c[n] for n in ("enrollments", "stamps", "voids", "prizes"))
        },
        "byBranch": [
            {"branchId": b, "stamps": c["stamps"], "voids": c["voids"], "prizes": c["prizes"]}
            for b, c in sorted(branches.items())
        ],
        "members": {
            "active": status["active"],
            "expired": status["expired"],
            "rewardReady": status["rewardReady"],
            "byTier": [
                {"tierId": t.id, "name": t.name, "nameAr": t.name_ar, "icon": t.icon, "count": by_tier[t.id]}
                for t in ladder.tiers
            ],
            "noTier": by_tier[None],
        },
    }


def _two_tier() -> TierLadder:
    from loyalty.domain.tiers import effective_ladder, parse_tier_config

    return effective_ladder(parse_tier_config(TWO_TIER))
