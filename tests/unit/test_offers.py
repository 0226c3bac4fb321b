"""Creating an offer and changing its ladder: validation of the terms, the answers, and businesses kept apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from loyalty.app.offers.catalog import find_offer, list_offers
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.offers import Offer, OfferNotFound, parse_offer_edit, parse_offer_terms
from loyalty.domain.tiers import TierLadder, parse_tier_config
from loyalty.entrypoints.http.render import offer_answer, status_of, tier_block, tiers_in_force_answer
from tests.support.fakes import InMemoryOfferStore
from tests.support.offers import create_offer, reset_tier_config, set_tier_config

BUSINESS = "biz_" + "a" * 26
OTHER_BUSINESS = "biz_" + "b" * 26
OFFER_ID = "off_" + "c" * 26
NOW = datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC)
MEMBER_ONLY = {
    "enabled": True,
    "tiers": [
        {"id": "member", "name": "Member", "nameAr": "عضو", "minRewards": 1, "maxRewards": None, "icon": "⭐"}
    ],
}


def clock() -> datetime:
    return NOW


def new_offer(offers: InMemoryOfferStore, **body: Any) -> Offer:
    return create_offer(
        offers,
        BUSINESS,
        {"name": "Free coffee", "stampsRequired": 5, **body},
        clock=clock,
        new_offer_id=lambda: OFFER_ID,
    )


def detail_fields(body: object) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        parse_offer_terms(body)
    return [detail.field for detail in caught.value.details]


# --- terms --------------------------------------------------------------------------------------------------


def test_minimal_terms() -> None:
    terms = parse_offer_terms({"name": "Free coffee", "stampsRequired": 5})
    assert (terms.name, terms.stamps_required, terms.name_ar, terms.loyalty_tiers) == (
        "Free coffee",
        5,
        None,
        None,
    )


def test_texts_are_trimmed_and_blank_optionals_are_absent() -> None:
    terms = parse_offer_terms(
        {
            "name": "  Free coffee ",
            "nameAr": " ",
            "stampsRequired": 5,
            "rewardDescription": "",
            "rewardDescriptionAr": None,
        }
    )
    assert terms.name == "Free coffee"
    assert terms.name_ar is None
    assert terms.reward_description is None
    assert terms.reward_description_ar is None


@pytest.mark.parametrize("stamps", [1, 50])
def test_stamps_required_bounds_are_inclusive(stamps: int) -> None:
    assert parse_offer_terms({"name": "x", "stampsRequired": stamps}).stamps_required == stamps


def test_a_count_written_with_a_zero_fraction_is_that_count() -> None:
    # JSON has one number type, and JSON Schema's `integer` (what the document says) takes 5.0: so do we.
    assert parse_offer_terms({"name": "x", "stampsRequired": 5.0}).stamps_required == 5
    assert parse_offer_edit({"minMinutesBetweenStamps": 30.0}).changes["minMinutesBetweenStamps"] == 30


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stampsRequired": 5}, "name"),
        ({"name": "", "stampsRequired": 5}, "name"),
        ({"name": "x" * 81, "stampsRequired": 5}, "name"),
        ({"name": 5, "stampsRequired": 5}, "name"),
        ({"name": "x", "nameAr": "x" * 81, "stampsRequired": 5}, "nameAr"),
        ({"name": "x"}, "stampsRequired"),
        ({"name": "x", "stampsRequired": 0}, "stampsRequired"),
        ({"name": "x", "stampsRequired": 51}, "stampsRequired"),
        ({"name": "x", "stampsRequired": True}, "stampsRequired"),
        ({"name": "x", "stampsRequired": "5"}, "stampsRequired"),
        ({"name": "x", "stampsRequired": 5.5}, "stampsRequired"),
        ({"name": "x", "stampsRequired": 5, "rewardDescription": "x" * 201}, "rewardDescription"),
        ({"name": "x", "stampsRequired": 5, "rewardDescriptionAr": 7}, "rewardDescriptionAr"),
        ({"name": "x", "stampsRequired": 5, "loyaltyTiers": []}, "loyaltyTiers"),
    ],
)
def test_each_bad_term_is_named(body: dict[str, Any], field: str) -> None:
    assert detail_fields(body) == [field]


def test_every_bad_term_is_reported_at_once_tiers_included() -> None:
    body = {
        "name": "",
        "stampsRequired": 0,
        "loyaltyTiers": {"enabled": True, "tiers": [{**MEMBER_ONLY["tiers"][0], "minRewards": 0}]},
    }
    assert detail_fields(body) == ["name", "stampsRequired", "loyaltyTiers.tiers[0].minRewards"]


@pytest.mark.parametrize("body", [None, [], "offer", 5])
def test_terms_must_be_an_object(body: object) -> None:
    assert detail_fields(body) == ["body"]


# --- answers ------------------------------------------------------------------------------------------------


def test_created_offer_answer() -> None:
    offer = new_offer(InMemoryOfferStore(), nameAr="قهوة مجانية", rewardDescription="A free coffee")
    answer = offer_answer(offer)
    assert answer == {
        "offerId": OFFER_ID,
        "businessId": BUSINESS,
        "name": "Free coffee",
        "nameAr": "قهوة مجانية",
        "stampsRequired": 5,
        "rewardDescription": "A free coffee",
        "rewardDescriptionAr": None,
        "loyaltyTiers": None,
        "effectiveTiers": [tier_block(tier) for tier in TierLadder.default().tiers],
        "minMinutesBetweenStamps": 0,
        "expiryReminderDays": 14,
        "timezone": "UTC",
        "status": "ACTIVE",
        "createdAt": "2026-11-23T12:00:00.123Z",
        "updatedAt": "2026-11-23T12:00:00.123Z",
        "brand": None,
    }


def test_offer_with_custom_tiers_answers_them() -> None:
    offer = new_offer(InMemoryOfferStore(), loyaltyTiers=MEMBER_ONLY)
    assert offer_answer(offer)["loyaltyTiers"] == MEMBER_ONLY
    assert offer_answer(offer)["effectiveTiers"] == MEMBER_ONLY["tiers"]
    assert tiers_in_force_answer(offer) == {**MEMBER_ONLY, "source": "custom"}
    assert [tier.id for tier in offer.ladder.tiers] == ["member"]


def test_disabled_custom_tiers_leave_defaults_in_force_and_are_echoed() -> None:
    offer = new_offer(InMemoryOfferStore(), loyaltyTiers={**MEMBER_ONLY, "enabled": False})
    assert offer.ladder == TierLadder.default()
    assert tiers_in_force_answer(offer) == {
        "enabled": False,
        "tiers": [tier_block(tier) for tier in TierLadder.default().tiers],
        "source": "default",
        "customTiers": MEMBER_ONLY["tiers"],
    }


def test_default_tiers_in_force() -> None:
    assert tiers_in_force_answer(new_offer(InMemoryOfferStore())) == {
        "enabled": False,
        "tiers": [tier_block(tier) for tier in TierLadder.default().tiers],
        "source": "default",
    }


# --- the catalog keeps businesses apart ---------------------------------------------------------------------


def test_owner_finds_and_lists_their_offer() -> None:
    offers = InMemoryOfferStore()
    offer = new_offer(offers)
    assert find_offer(offers, BUSINESS, OFFER_ID) == offer
    assert list_offers(offers, BUSINESS, limit=10, cursor=None).offers == [offer]
    assert list_offers(offers, OTHER_BUSINESS, limit=10, cursor=None).offers == []


@pytest.mark.parametrize(
    ("business", "offer_id"), [(OTHER_BUSINESS, OFFER_ID), (BUSINESS, "off_" + "d" * 26), (BUSINESS, "nope")]
)
def test_an_offer_not_yours_is_not_found(business: str, offer_id: str) -> None:
    offers = InMemoryOfferStore()
    new_offer(offers)
    with pytest.raises(OfferNotFound) as caught:
        find_offer(offers, business, offer_id)
    assert (status_of(caught.value), caught.value.code) == (404, "OFFER_NOT_FOUND")
    with pytest.raises(OfferNotFound):
        set_tier_config(offers, business, offer_id, MEMBER_ONLY, clock=clock)
    with pytest.raises(OfferNotFound):
        reset_tier_config(offers, business, offer_id, clock=clock)


def test_set_then_reset_tiers() -> None:
    offers = InMemoryOfferStore()
    new_offer(offers)
    changed = set_tier_config(offers, BUSINESS, OFFER_ID, MEMBER_ONLY, clock=clock)
    assert changed.loyalty_tiers == parse_tier_config(MEMBER_ONLY)
    assert find_offer(offers, BUSINESS, OFFER_ID).ladder.tiers[0].id == "member"
    reset = reset_tier_config(offers, BUSINESS, OFFER_ID, clock=clock)
    assert reset.loyalty_tiers is None
    assert reset.ladder == TierLadder.default()


def test_invalid_tiers_change_nothing() -> None:
    offers = InMemoryOfferStore()
    new_offer(offers)
    with pytest.raises(ValidationFailed):
        set_tier_config(offers, BUSINESS, OFFER_ID, {"enabled": True, "tiers": []}, clock=clock)
    assert find_offer(offers, BUSINESS, OFFER_ID).loyalty_tiers is None
