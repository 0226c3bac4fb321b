"""Won back: a visit within 14 days after the pass's expiry reminder counts once, on the visit's day."""

from __future__ import annotations

from datetime import timedelta

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import award_stamp, remind_expiry
from loyalty.domain.stats import tally
from tests.support.passes import AT, fresh_pass


def later(days: float) -> str:
    return to_iso(parse_iso(AT) + timedelta(days=days))


def test_a_visit_after_the_reminder_wins_the_customer_back() -> None:
    reminded = remind_expiry(fresh_pass(), later(70))
    visit = award_stamp(reminded, later(75))
    assert tally("STAMP", reminded, visit).day == {"stamps": 1, "wonBack": 1}


def test_a_visit_more_than_14_days_after_it_or_without_one_is_just_a_visit() -> None:
    reminded = remind_expiry(fresh_pass(), later(70))
    assert "wonBack" not in tally("STAMP", reminded, award_stamp(reminded, later(84.5))).day
    quiet = fresh_pass()
    assert "wonBack" not in tally("STAMP", quiet, award_stamp(quiet, later(75))).day


def test_the_next_visit_after_that_is_no_second_win() -> None:
    reminded = remind_expiry(fresh_pass(), later(70))
    back = award_stamp(reminded, later(75))
    assert "wonBack" not in tally("STAMP", back, award_stamp(back, later(76))).day
