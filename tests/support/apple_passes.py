"""Passes and offers as the rest of the platform makes them, for Apple Wallet tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from loyalty.adapters.apple.content import PassIssuer
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, new_pass
from loyalty.domain.tiers import Tier, TierConfig

CREATED = "2026-01-02T03:04:05.000Z"

PLATINUM_LADDER = TierConfig(
    enabled=True,
    tiers=(
        Tier("bronze", "Bronze Member", "العضو البرونزي", 1, 2, "🥉", "#CD7F32"),
        Tier("silver", "Silver Member", "العضو الفضي", 3, 5, "🥈", "#C0C0C0"),
        Tier("gold", "Gold Member", "العضو الذهبي", 6, 8, "🥇", "#FFD700"),
        Tier("platinum", "Platinum", "البلاتيني", 9, None, "💎", "#E5E4E2"),
    ),
)


def an_offer(business_id: str = "biz_testbusiness01", **changes: Any) -> Offer:
    offer = Offer(
        offer_id=new_id("off"),
        business_id=business_id,
        name="Morning Coffee",
        name_ar="قهوة الصباح",
        stamps_required=5,
        reward_description="A free coffee of your choice",
        reward_description_ar="قهوة مجانية من اختيارك",
        loyalty_tiers=PLATINUM_LADDER,
        created_at=CREATED,
    )
    return replace(offer, **changes)


def a_pass(offer: Offer, *, stamps: int = 4, rewards: int = 7, **changes: Any) -> Pass:
    pass_ = new_pass(
        customer_id=new_id("cus"),
        offer_id=offer.offer_id,
        business_id=offer.business_id,
        stamps_required=offer.stamps_required,
        email="jane.doe@example.com",
        customer_name="Jane Doe",
        preferred_language="en",
        pass_serial=new_secret_token(18),
        auth_token=new_secret_token(24),
        at=CREATED,
    )
    return replace(
        pass_, current_stamps=stamps, rewards_claimed=rewards, lifetime_stamps=rewards * 5 + stamps, **changes
    )


def an_issuer(
    pass_type_id: str, team_id: str, web_service_url: str = "https://api.example.com/wallet/apple"
) -> PassIssuer:
    return PassIssuer(pass_type_id, team_id, "Loyalty Test", web_service_url)
