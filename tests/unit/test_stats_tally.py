"""What one change of a pass adds to the stats: the day's counters and the member counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from loyalty.domain.passes import PassStatus, award_stamp, claim_reward, expire, new_pass, reactivate
from loyalty.domain.stats import local_day, members_at_risk, members_expiring_soon, tally

AT = "2026-11-23T22:30:00.000Z"


def pass_():
    return new_pass(
        customer_id="cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        offer_id="off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
        business_id="biz_cccccccccc",
        stamps_required=1,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at=AT,
    )


def test_each_kind_of_change_moves_its_counters() -> None:
    joined = pass_()
    assert tally("ENROLL", None, joined).members == {"active": 1, "rewards=0": 1, "lastDay=2026-11-23": 1}
    full = award_stamp(joined, AT)
    assert tally("STAMP", joined, full).day == {"stamps": 1}
    assert tally("STAMP", joined, full).members == {"rewardReady": 1}
    claimed = claim_reward(full, AT)
    prize = tally("PRIZE", full, claimed, tier_upgrade=True)
    assert prize.day == {"prizes": 1, "tierUpgrades": 1}
    assert prize.members == {"rewards=0": -1, "rewards=1": 1, "rewardReady": -1}
    gone = expire(claimed, AT)
    assert tally("EXPIRE", claimed, gone).members == {
        "active": -1,
        "rewards=1": -1,
        "expired": 1,
        "lastDay=2026-11-23": -1,
    }
    back = reactivate(gone, AT)
    assert tally("REACTIVATE", gone, back).day == {"reactivated": 1}
    erased = replace(back, status=PassStatus.ERASED)
    assert tally("ERASE", back, erased).members == {"active": -1, "rewards=1": -1, "lastDay=2026-11-23": -1}
    assert tally("ERASE", back, erased).day == {}


def test_the_day_is_the_offer_time_zone_day() -> None:
    assert local_day(AT, "UTC") == "2026-11-23"
    assert local_day(AT, "Asia/Riyadh") == "2026-11-24"
    assert local_day(AT, "America/Los_Angeles") == "2026-11-23"


def test_members_are_counted_by_the_day_of_their_last_visit_and_the_day_they_become_at_risk() -> None:
    # Joined on the 23rd of October, visits on the 1st and the 11th of November: two visits span 19 days from
    # joining, their usual gap, so the pass is at risk twice that after its last visit (the 19th of December).
    joined = replace(pass_(), member_since="2026-10-23T09:00:00.000Z")
    once = award_stamp(replace(joined, stamps_required=5), "2026-11-01T09:00:00.000Z")
    twice = award_stamp(once, "2026-11-11T09:00:00.000Z")
    moved = tally("STAMP", once, twice).members
    assert moved["lastDay=2026-11-01"] == -1 and moved["lastDay=2026-11-11"] == 1
    assert twice.lifetime_stamps == 2 and moved["riskDay=2026-12-19"] == 1


def test_the_totals_count_at_risk_and_expiring_soon_as_of_the_request() -> None:
    members = Counter(
        {
            "active": 4,
            "riskDay=2026-12-01": 1,
            "riskDay=2026-12-07": 1,  # at risk later today: counted from tomorrow
            "riskDay=2027-01-10": 1,
            "lastDay=2026-09-08": 1,  # 90 days before the 7th of December: at the limit
            "lastDay=2026-09-22": 1,  # 76 days before: 14 days from the limit
            "lastDay=2026-09-23": 1,  # 75 days before: not yet
        }
    )
    assert members_at_risk(members, "2026-12-07T12:00:00Z") == 1
    assert members_at_risk(members, "2026-12-08T00:00:00Z") == 2
    assert members_expiring_soon(members, "2026-12-07T12:00:00Z", 90) == 2
