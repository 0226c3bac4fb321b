"""At-risk members: past twice their own usual gap between visits; the members list's segment and flag."""

from __future__ import annotations

from datetime import timedelta

import pytest

from loyalty.domain.at_risk import at_risk_from, is_at_risk, usual_gap
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import Pass, award_stamp, expire
from tests.support.passes import fresh_pass
from tests.unit.test_member_search import NOW, Offer, names


def visits(pass_: Pass, *days: float) -> Pass:
    """The pass stamped on each of these days after it joined."""
    joined = parse_iso(pass_.member_since)
    for day in days:
        pass_ = award_stamp(pass_, to_iso(joined + timedelta(days=day)))
    return pass_


def test_the_usual_gap_is_the_member_own_rhythm() -> None:
    weekly = visits(fresh_pass(50), 0, 7, 14, 21)  # four visits, a week apart
    assert usual_gap(weekly) == timedelta(days=7)
    last = parse_iso(weekly.last_activity_at)
    assert at_risk_from(weekly) == to_iso(last + timedelta(days=14))
    assert not is_at_risk(weekly, to_iso(last + timedelta(days=13, hours=23)))
    assert is_at_risk(weekly, to_iso(last + timedelta(days=14, seconds=1)))


def test_one_visit_is_no_rhythm_and_a_morning_twice_is_not_an_hour_gap() -> None:
    assert at_risk_from(visits(fresh_pass(50), 0)) is None
    twice = visits(fresh_pass(50), 0, 0.01)
    assert usual_gap(twice) == timedelta(days=1)


def test_an_expired_pass_is_not_at_risk() -> None:
    pass_ = visits(fresh_pass(50), 0, 7)
    assert at_risk_from(expire(pass_, to_iso(parse_iso(pass_.last_activity_at) + timedelta(days=91)))) is None


@pytest.mark.parametrize("gap", [1, 3, 10, 30])
def test_a_visit_resets_it(gap: int) -> None:
    pass_ = visits(fresh_pass(50), 0, gap, 2 * gap)
    late = to_iso(parse_iso(pass_.last_activity_at) + timedelta(days=2 * gap + 1))
    assert is_at_risk(pass_, late)
    assert not is_at_risk(award_stamp(pass_, late), late)


def test_the_segment_lists_those_at_risk_and_the_items_say_so() -> None:
    offer = Offer()
    now = parse_iso(NOW)
    drifting = offer.join("Drifting", "drifting@example.com", at=to_iso(now - timedelta(days=40)))
    drifting = offer.write(drifting, visits(drifting, 0, 7))  # weekly, quiet for 33 days
    regular = offer.join("Regular", "regular@example.com", at=to_iso(now - timedelta(days=20)))
    regular = offer.write(regular, visits(regular, 0, 7))  # weekly, quiet for 13 days
    offer.join("New", "new@example.com", at=to_iso(now - timedelta(days=30)))  # no rhythm yet

    assert names(offer.find(segment="AT_RISK")) == ["Drifting"]
    flags = {item["name"]: item["atRisk"] for item in offer.find(sort="lastActivity")}
    assert flags == {"Drifting": True, "Regular": False, "New": False}
    # The drifting member visits: no longer at risk.
    offer.write(drifting, award_stamp(drifting, to_iso(now - timedelta(hours=1))))
    assert offer.find(segment="AT_RISK") == []
