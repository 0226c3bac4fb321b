"""The credential's subject, the issuance id of an upgrade, and the issuance life cycle."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain import credentials as c
from loyalty.domain.ids import is_id
from loyalty.entrypoints.http.render import issuance_record

ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=30)


@given(ids, ids, st.integers(min_value=0, max_value=10_000))
def test_an_upgrade_always_names_the_same_issuance(customer: str, offer: str, claimed: int) -> None:
    first = c.upgrade_issuance_id(f"cus_{customer}", f"off_{offer}", claimed)
    assert first == c.upgrade_issuance_id(f"cus_{customer}", f"off_{offer}", claimed)
    assert is_id(first, "iss")
    assert len(first) == len("iss_") + 26


@given(ids, ids, st.integers(min_value=0, max_value=10_000))
def test_different_upgrades_name_different_issuances(customer: str, offer: str, claimed: int) -> None:
    here = c.upgrade_issuance_id(f"cus_{customer}", f"off_{offer}", claimed)
    assert here != c.upgrade_issuance_id(f"cus_{customer}", f"off_{offer}", claimed + 1)
    assert here != c.upgrade_issuance_id(f"cus_{customer}x", f"off_{offer}", claimed)


def test_subject_has_exactly_the_schema_fields_in_their_formats() -> None:
    subject = c.credential_subject(
        "Silver Member",
        17,
        datetime(2026, 3, 4, 22, 30, tzinfo=UTC),
        datetime(2026, 11, 23, 11, 24, 3, 123456, tzinfo=UTC),
    )
    assert subject == {
        "tier": "Silver Member",
        "lifetimePoints": 17,
        "memberSince": "2026-03-04",
        "upgradedAt": "2026-11-23T11:24:03.123Z",
    }


def _issuance(status: str = c.PENDING) -> c.Issuance:
    return c.Issuance(
        issuance_id="iss_" + "a" * 26,
        customer_id="cus_" + "b" * 26,
        offer_id="off_" + "c" * 26,
        business_id="biz_" + "d" * 26,
        tier_id="gold",
        tier_name="Gold Member",
        subject={"tier": "Gold Member"},
        status=status,
        created_at="2026-11-23T11:00:00.000Z",
        updated_at="2026-11-23T11:00:00.000Z",
    )


def test_the_life_cycle_only_moves_forward() -> None:
    assert c.REACHABLE_FROM[c.WAIT_ONCHAIN] == {c.PENDING}
    for final in c.FINAL_STATUSES:
        assert c.PENDING in c.REACHABLE_FROM[final]
        assert c.WAIT_ONCHAIN in c.REACHABLE_FROM[final]
    for sources in c.REACHABLE_FROM.values():
        assert not sources & c.FINAL_STATUSES  # nothing leaves a final status
    assert c.PENDING not in c.REACHABLE_FROM  # nothing goes back to the start


def test_a_long_reason_is_kept_short_and_on_one_line() -> None:
    reason = c.truncate_reason("AIR Kit answered 500:\n" + "x" * 2000)
    assert "\n" not in reason
    assert len(reason) == c.ERROR_MAX_LENGTH


def test_the_answer_is_the_contracts_and_carries_no_email() -> None:
    answer = issuance_record(_issuance())
    assert set(answer) == {
        "issuanceId",
        "customerId",
        "offerId",
        "tier",
        "status",
        "coreClaimHash",
        "attempts",
        "createdAt",
        "updatedAt",
        "error",
    }
    assert answer["tier"] == {"id": "gold", "name": "Gold Member"}
    assert "@" not in repr(answer)


def _of_pass(*tiers_and_statuses: tuple[str, str]) -> list[c.Issuance]:
    return [
        c.Issuance(
            issuance_id=f"iss_{index:026d}",
            customer_id="cus_" + "b" * 26,
            offer_id="off_" + "c" * 26,
            business_id="biz_" + "d" * 26,
            tier_id=tier,
            tier_name=tier.title(),
            subject={},
            status=status,
            created_at=f"2026-11-23T11:00:0{index}.000Z",
            updated_at=f"2026-11-23T11:00:0{index}.000Z",
        )
        for index, (tier, status) in enumerate(tiers_and_statuses)
    ]


def test_an_issuance_waits_for_an_older_pending_one_of_its_pass() -> None:
    bronze, silver, gold = _of_pass(("bronze", c.WAIT_ONCHAIN), ("silver", c.PENDING), ("gold", c.PENDING))
    assert c.submission_turn(gold, [gold, silver, bronze]) == c.SubmissionTurn(waiting_for=silver)
    assert c.submission_turn(silver, [gold, silver, bronze]) == c.SubmissionTurn()


def test_an_older_issuance_never_follows_a_newer_one_that_air_kit_accepted() -> None:
    silver, gold = _of_pass(("silver", c.PENDING), ("gold", c.WAIT_ONCHAIN))
    assert c.submission_turn(silver, [silver, gold]) == c.SubmissionTurn(superseded_by=gold)


@pytest.mark.parametrize("settled", [c.FAILED, c.TIMED_OUT])
def test_older_issuances_that_ended_do_not_hold_a_newer_one_back(settled: str) -> None:
    silver, gold = _of_pass(("silver", settled), ("gold", c.PENDING))
    assert c.submission_turn(gold, [silver, gold]) == c.SubmissionTurn()


def test_a_reissue_id_is_fixed_by_what_it_follows_and_never_an_upgrades() -> None:
    customer, offer = "cus_" + "b" * 26, "off_" + "c" * 26
    first = c.reissue_issuance_id(customer, offer, "gold", 1)
    assert first == c.reissue_issuance_id(customer, offer, "gold", 1)
    assert is_id(first, "iss")
    assert first != c.reissue_issuance_id(customer, offer, "gold", 2)
    assert first != c.reissue_issuance_id(customer, offer, "silver", 1)
    assert first != c.upgrade_issuance_id(customer, offer, 1)
