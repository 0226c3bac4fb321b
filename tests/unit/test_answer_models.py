"""Every answer the domain builds fits the contract's model of it (no missing, extra or mistyped field), for any
card a customer can reach: the document the dashboard is generated from describes what is really sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.domain.credentials import PENDING, Issuance
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import Enrolled, PassRead, PrizeClaimed, StampAwarded, StampVoided
from loyalty.domain.passes import NotEnoughStamps, Pass, RewardReady, award_stamp, claim_reward
from loyalty.domain.tiers import TierConfig, parse_tier_config, tier_upgrade
from loyalty.entrypoints.http.contract import (
    OfferAnswer,
    PassAnswer,
    PassConflictBody,
    PassStatusAnswer,
    PrizeConfirmed,
    ScanAnswer,
    TiersInForce,
)
from loyalty.entrypoints.http.pass_contract import VoidAnswer
from loyalty.entrypoints.http.render import offer_answer, render_error, render_pass, tiers_in_force_answer
from tests.support.passes import fresh_pass

AT = "2026-11-23T10:00:00.000Z"
CUSTOM = parse_tier_config(
    {
        "tiers": [
            {
                "id": "regular",
                "name": "Regular",
                "nameAr": "منتظم",
                "minRewards": 2,
                "maxRewards": 3,
                "icon": "⭐",
            },
            {
                "id": "vip",
                "name": "VIP",
                "nameAr": "مميز",
                "minRewards": 4,
                "maxRewards": None,
                "icon": "💎",
                "color": "#112233",
            },
        ]
    }
)
ladders = st.sampled_from([None, CUSTOM, TierConfig(enabled=False, tiers=CUSTOM.tiers)])


def reached(stamps_required: int, prizes: int, stamps: int) -> Pass:
    pass_ = fresh_pass(stamps_required, AT)
    for _ in range(prizes):
        for _ in range(stamps_required):
            pass_ = award_stamp(pass_, AT)
        pass_ = claim_reward(pass_, AT)
    for _ in range(min(stamps, stamps_required)):
        pass_ = award_stamp(pass_, AT)
    return pass_


def offer(config: TierConfig | None, stamps_required: int) -> Offer:
    return Offer(
        "off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
        "biz_cccccccccc",
        "Café",
        None,
        stamps_required,
        "Coffee",
        None,
        config,
        AT,
    )


@given(
    stamps_required=st.integers(1, 6),
    prizes=st.integers(0, 8),
    stamps=st.integers(0, 6),
    config=ladders,
    wallet=st.sampled_from([None, {"googleWalletSaveUrl": "https://pay.example/save/x"}]),
)
def test_pass_answers_fit_their_models(
    stamps_required: int, prizes: int, stamps: int, config: TierConfig | None, wallet: dict[str, str] | None
) -> None:
    pass_ = reached(stamps_required, prizes, stamps)
    ladder = offer(config, stamps_required).ladder
    standing = ladder.standing(pass_.rewards_claimed)
    PassAnswer.model_validate(render_pass(Enrolled(pass_, standing, wallet)).body)
    PassStatusAnswer.model_validate(
        render_pass(PassRead(pass_, standing, offer(config, stamps_required))).body
    )
    ScanAnswer.model_validate(render_pass(StampAwarded(pass_, standing)).body)
    VoidAnswer.model_validate(render_pass(StampVoided(pass_, standing)).body)
    if pass_.reward_ready:
        claimed = claim_reward(pass_, AT)
        after = ladder.standing(claimed.rewards_claimed)
        upgrade = tier_upgrade(standing, after)
        issuance = (
            Issuance(
                "iss_dddddddddddddddddddddddddd",
                pass_.customer_id,
                pass_.offer_id,
                pass_.business_id,
                upgrade.to_tier.id,
                upgrade.to_tier.name,
                {},
                status=PENDING,
            )
            if upgrade
            else None
        )
        PrizeConfirmed.model_validate(render_pass(PrizeClaimed(claimed, after, upgrade, issuance)).body)
        # A full card refuses a stamp (the test fails if it stamps), with the progress in its conflict body.
        with pytest.raises(RewardReady) as full:
            award_stamp(pass_, AT)
        refused = render_error(full.value)
        assert refused.status == 409
        PassConflictBody.model_validate(refused.body)
    else:
        # A card short of its stamps refuses the prize (the test fails if it claims), saying its progress.
        with pytest.raises(NotEnoughStamps) as short:
            claim_reward(pass_, AT)
        refused = render_error(short.value)
        assert refused.status == 409
        PassConflictBody.model_validate(refused.body)


@given(config=ladders, stamps_required=st.integers(1, 50))
def test_offer_answers_fit_their_models(config: TierConfig | None, stamps_required: int) -> None:
    the_offer = offer(config, stamps_required)
    OfferAnswer.model_validate(offer_answer(the_offer))
    TiersInForce.model_validate(tiers_in_force_answer(the_offer))
