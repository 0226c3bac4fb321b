"""Every body we send to Google conforms to Google's walletobjects v1 discovery document, and every change that
should reach the customer's lock screen is told by a message Google notifies with."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.google.objects import (
    loyalty_class,
    loyalty_object,
    loyalty_object_patch,
    notice_message,
)
from loyalty.domain.passes import PassStatus
from loyalty_local.standins.walletobjects_schema import class_problems, object_problems, schema_problems
from tests.support.google_service_account import TEST_ISSUER_ID, sample_offer, sample_pass

LOGO = "https://assets.example.com/logo.png"
OFFER = sample_offer()

passes = st.builds(
    lambda stamps, rewards, language, status, name: sample_pass(
        OFFER,
        current_stamps=stamps,
        rewards_claimed=rewards,
        preferred_language=language,
        status=status,
        customer_name=name,
    ),
    st.integers(0, 4),
    st.integers(0, 60),
    st.sampled_from(["en", "ar"]),
    st.sampled_from(list(PassStatus)),
    st.text(min_size=1, max_size=40),
)


def test_the_class_conforms() -> None:
    assert class_problems(loyalty_class(TEST_ISSUER_ID, "Bean There Café", LOGO, OFFER)) == []


@given(passes)
def test_every_object_conforms(pass_: Any) -> None:
    assert (
        object_problems(loyalty_object(TEST_ISSUER_ID, pass_, OFFER.ladder.standing(pass_.rewards_claimed)))
        == []
    )


@given(passes, st.booleans())
def test_every_patch_conforms(pass_: Any, notify: bool) -> None:
    patch = loyalty_object_patch(pass_, OFFER.ladder.standing(pass_.rewards_claimed), notify=notify)
    assert object_problems(patch) == []


@given(passes)
def test_every_notice_conforms_and_notifies(pass_: Any) -> None:
    notice = notice_message(pass_, OFFER.ladder.standing(pass_.rewards_claimed))
    assert schema_problems("AddMessageRequest", notice) == []
    assert notice["message"]["messageType"] == "TEXT_AND_NOTIFY"


def test_a_class_update_keeps_saying_under_review() -> None:
    assert loyalty_class(TEST_ISSUER_ID, "Bean There Café", LOGO, OFFER)["reviewStatus"] == "underReview"


@pytest.mark.parametrize(
    ("before", "after", "says"),
    [
        ({"rewards_claimed": 5}, {"rewards_claimed": 6}, "You are now 🥇 Gold Member"),
        (
            {"rewards_claimed": 7},
            {"rewards_claimed": 7, "status": PassStatus.EXPIRED},
            "Your stamp card expired",
        ),
    ],
    ids=["new tier", "expiry"],
)
def test_each_notice_says_what_changed_and_has_its_own_id(
    before: dict[str, Any], after: dict[str, Any], says: str
) -> None:
    old, new = sample_pass(OFFER, **before), sample_pass(OFFER, **after)
    new = replace(new, updated_at="2026-12-07T10:00:00.000Z")
    notice = notice_message(new, OFFER.ladder.standing(new.rewards_claimed))["message"]
    assert notice["body"].startswith(says)
    later = replace(new, updated_at="2026-12-08T10:00:00.000Z")
    assert (
        notice_message(later, OFFER.ladder.standing(later.rewards_claimed))["message"]["id"] != notice["id"]
    )
    assert old != new
