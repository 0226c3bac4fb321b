"""Every body we send to Google conforms to Google's walletobjects v1 discovery document, and every change that
should reach the customer's lock screen changes a field Google notifies on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.google.objects import loyalty_class, loyalty_object, loyalty_object_patch
from loyalty.domain.passes import PassStatus
from loyalty_local.standins.google_wallet import NOTIFIED_FIELDS
from loyalty_local.standins.walletobjects_schema import class_problems, object_problems
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
def test_every_object_conforms(card: Any) -> None:
    assert (
        object_problems(loyalty_object(TEST_ISSUER_ID, card, OFFER.ladder.standing(card.rewards_claimed)))
        == []
    )


@given(passes, st.booleans())
def test_every_patch_conforms(card: Any, notify: bool) -> None:
    patch = loyalty_object_patch(card, OFFER.ladder.standing(card.rewards_claimed), notify=notify)
    assert object_problems(patch) == []


def _notified(resource: dict[str, Any]) -> list[Any]:
    return [(resource.get(outer) or {}).get(inner) for outer, inner in NOTIFIED_FIELDS]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ({"rewards_claimed": 5}, {"rewards_claimed": 6}),  # Silver → Gold with the default ladder
        ({"rewards_claimed": 7}, {"rewards_claimed": 7, "status": PassStatus.EXPIRED}),
    ],
    ids=["new tier", "expiry"],
)
def test_a_change_that_notifies_touches_a_field_google_notifies_on(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    old, new = sample_pass(OFFER, **before), sample_pass(OFFER, **after)
    old_standing = OFFER.ladder.standing(old.rewards_claimed)
    new_standing = OFFER.ladder.standing(new.rewards_claimed)
    assert (old.status, old_standing.current) != (new.status, new_standing.current)
    patch = loyalty_object_patch(new, new_standing, notify=True)
    assert _notified(patch) != _notified(loyalty_object_patch(old, old_standing, notify=True))
