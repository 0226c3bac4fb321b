"""A campaign's recipients won back: the first visit within 14 days after the campaign reached the pass counts its
recipient once for that campaign (from the stream, which may hand a record over twice), and the offer's stats
count the same visits as wins, whether a campaign or the expiry reminder reached the member."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from loyalty.app.campaigns.outcomes import count_campaign_wins
from loyalty.app.ports.ledger import OfferWritten, PassWritten
from loyalty.app.ports.passes import ChangeNote
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import Pass, award_stamp, remind_expiry
from loyalty.domain.stats import tally
from loyalty.domain.won_back import campaign_won_back
from tests.support.campaign_fakes import InMemoryCampaignOutcomes
from tests.support.passes import AT, fresh_pass

CAMPAIGN = "cmp_aaaaaaaaaaaaaaaaaaaaaaaaaa"
STAMP = ChangeNote("STAMP", "user-1", "north")


def later(days: float) -> str:
    return to_iso(parse_iso(AT) + timedelta(days=days))


def reached(pass_: Pass, days: float, campaign_id: str = CAMPAIGN) -> Pass:
    """The pass as a campaign's mark leaves it (adapters/dynamodb/campaigns.py: no change note, version on)."""
    at = later(days)
    return replace(
        pass_,
        campaign_key=f"{at}#{campaign_id}",
        campaign_at=at,
        updated_at=at,
        version=pass_.version + 1,
    )


@dataclass(frozen=True)
class Record:
    sequence_number: str
    change: PassWritten | OfferWritten | None

    def written(self) -> PassWritten | OfferWritten | None:
        return self.change

    def created_issuance(self) -> str | None:
        return None


def visit(before: Pass, days: float, n: str) -> tuple[Pass, Record]:
    after = award_stamp(before, later(days))
    return after, Record(n, PassWritten(before, after, STAMP))


def test_the_first_visit_within_14_days_wins_the_recipient_back_once() -> None:
    outcomes = InMemoryCampaignOutcomes()
    marked = reached(fresh_pass(), 30)
    back, first = visit(marked, 33, "1")
    _, second = visit(back, 34, "2")
    # The stream hands the first visit over twice: still one recipient won back.
    assert count_campaign_wins(outcomes, [first, first, second]) == []
    assert outcomes.counts[(CAMPAIGN, "wonBack")] == 1


def test_a_visit_after_14_days_or_with_no_campaign_or_the_campaigns_mark_itself_counts_nothing() -> None:
    outcomes = InMemoryCampaignOutcomes()
    marked = reached(fresh_pass(), 30)
    _, late = visit(marked, 44.5, "1")
    _, unreached = visit(fresh_pass(), 33, "2")
    mark = Record("3", PassWritten(fresh_pass(), marked, None))
    assert count_campaign_wins(outcomes, [late, unreached, mark]) == []
    assert outcomes.counts[(CAMPAIGN, "wonBack")] == 0


def test_a_failure_hands_back_the_record_and_those_after_it_and_the_retry_counts_once() -> None:
    outcomes = InMemoryCampaignOutcomes()
    one = reached(fresh_pass(customer_id="cus_aaaaaaaaaaaaaaaaaaaaaaaaa1"), 30)
    two = reached(fresh_pass(customer_id="cus_aaaaaaaaaaaaaaaaaaaaaaaaa2"), 30)
    _, first = visit(one, 31, "1")
    _, second = visit(two, 31, "2")
    assert count_campaign_wins(outcomes, [first]) == []
    outcomes.fail_next = 1
    assert count_campaign_wins(outcomes, [second, first]) == ["2", "1"]
    assert count_campaign_wins(outcomes, [second, first]) == []
    assert outcomes.counts[(CAMPAIGN, "wonBack")] == 2


def test_a_visit_before_the_campaign_reached_the_pass_is_no_win() -> None:
    marked = reached(fresh_pass(), 30)
    # A visit the same moment the mark was written is not after it.
    same = replace(marked, last_activity_at=marked.campaign_at or "")
    assert campaign_won_back("STAMP", same, award_stamp(same, later(31))) is None
    assert campaign_won_back("VOID", marked, replace(marked, updated_at=later(31))) is None


def test_the_offers_won_back_counts_a_campaigns_win_and_a_reminders_win_by_one_rule() -> None:
    by_campaign = reached(fresh_pass(), 30)
    assert tally("STAMP", by_campaign, award_stamp(by_campaign, later(40))).day == {"stamps": 1, "wonBack": 1}
    assert "wonBack" not in tally("STAMP", by_campaign, award_stamp(by_campaign, later(45))).day
    reminded = remind_expiry(fresh_pass(), later(70))
    assert tally("STAMP", reminded, award_stamp(reminded, later(75))).day == {"stamps": 1, "wonBack": 1}
    # A reminder after a campaign: the latest reach counts, one win for the visit.
    both = remind_expiry(reached(fresh_pass(), 60), later(70))
    assert tally("STAMP", both, award_stamp(both, later(83))).day == {"stamps": 1, "wonBack": 1}
    assert campaign_won_back("STAMP", both, award_stamp(both, later(73))) == CAMPAIGN
