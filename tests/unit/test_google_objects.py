"""What a customer sees in Google Wallet: the class of an offer and the object of a pass."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.google.objects import (
    NOTIFY_ON_UPDATE,
    class_id,
    loyalty_class,
    loyalty_object,
    loyalty_object_patch,
    object_id,
)
from loyalty.domain.passes import PassStatus
from loyalty.domain.tiers import Tier, TierConfig
from tests.support.google_service_account import TEST_ISSUER_ID, sample_offer, sample_pass

LOGO = "https://assets.example.com/logo.png"


def modules(resource: dict) -> dict[str, dict]:
    return {module["header"]: module for module in resource["textModulesData"]}


def test_class_is_the_offer_under_review() -> None:
    offer = sample_offer()
    resource = loyalty_class(TEST_ISSUER_ID, "Bean There Café", LOGO, offer)
    assert resource["id"] == f"{TEST_ISSUER_ID}.{offer.offer_id}"
    assert resource["issuerName"] == "Bean There Café"
    assert resource["programName"] == "Free coffee"
    assert resource["programLogo"]["sourceUri"]["uri"] == LOGO
    assert resource["reviewStatus"] == "underReview"
    assert resource["localizedProgramName"]["translatedValues"] == [
        {"language": "ar", "value": "قهوة مجانية"}
    ]


def test_object_shows_gold_member_with_progress_and_completions() -> None:
    offer = sample_offer()
    pass_ = sample_pass(offer, current_stamps=4, rewards_claimed=7)
    resource = loyalty_object(TEST_ISSUER_ID, pass_, offer.ladder.standing(7))
    assert resource["id"] == f"{TEST_ISSUER_ID}.{pass_.customer_id}-{offer.offer_id}"
    assert resource["classId"] == class_id(TEST_ISSUER_ID, offer.offer_id)
    assert resource["state"] == "ACTIVE"
    assert resource["accountId"] == pass_.customer_id
    assert resource["accountName"] == "Jane Doe"
    assert resource["loyaltyPoints"]["balance"] == {"int": 7}
    shown = modules(resource)
    assert shown["Member Status"]["body"] == "🥇 Gold Member"
    assert shown["Next Tier"]["body"] == "Top tier reached"
    assert shown["Progress"]["body"] == "4 of 5"
    assert all("." not in module["id"] for module in resource["textModulesData"])
    assert resource["barcode"] == {
        "type": "QR_CODE",
        "value": f"loyalty:v1:{pass_.customer_id}:{offer.offer_id}",
        "alternateText": pass_.short_code,
    }


def test_next_tier_counts_the_rewards_still_needed() -> None:
    offer = sample_offer()
    pass_ = sample_pass(offer, rewards_claimed=4)
    shown = modules(loyalty_object(TEST_ISSUER_ID, pass_, offer.ladder.standing(4)))
    assert shown["Member Status"]["body"] == "🥈 Silver Member"
    assert shown["Next Tier"]["body"] == "2 more for 🥇 Gold Member"


def test_a_new_member_has_no_tier_yet() -> None:
    offer = sample_offer()
    shown = modules(loyalty_object(TEST_ISSUER_ID, sample_pass(offer), offer.ladder.standing(0)))
    assert shown["Member Status"]["body"] == "Member"
    assert shown["Next Tier"]["body"] == "1 more for 🥉 Bronze Member"
    assert shown["Progress"]["body"] == "0 of 5"


def test_custom_tiers_are_the_ones_shown() -> None:
    ladder = TierConfig(
        enabled=True,
        tiers=(
            Tier("regular", "Regular", "منتظم", 1, 9, "☕"),
            Tier("platinum", "Platinum", "بلاتيني", 10, None, "💎"),
        ),
    )
    offer = sample_offer(loyalty_tiers=ladder)
    shown = modules(
        loyalty_object(TEST_ISSUER_ID, sample_pass(offer, rewards_claimed=8), offer.ladder.standing(8))
    )
    assert shown["Member Status"]["body"] == "☕ Regular"
    assert shown["Next Tier"]["body"] == "2 more for 💎 Platinum"


def test_arabic_customer_reads_arabic() -> None:
    offer = sample_offer()
    pass_ = sample_pass(offer, current_stamps=4, rewards_claimed=4, preferred_language="ar")
    resource = loyalty_object(TEST_ISSUER_ID, pass_, offer.ladder.standing(4))
    bodies = [module["body"] for module in resource["textModulesData"]]
    headers = [module["header"] for module in resource["textModulesData"]]
    assert headers == ["حالة العضوية", "المستوى التالي", "التقدم"]
    assert bodies[0].startswith("🥈 ")
    assert "Silver" not in bodies[0]
    assert bodies[2] == "4 من 5"
    assert [module["id"] for module in resource["textModulesData"]] == [
        "member_status",
        "next_tier",
        "progress",
    ]


def test_expired_pass_is_an_expired_object() -> None:
    offer = sample_offer()
    pass_ = sample_pass(offer, status=PassStatus.EXPIRED)
    assert loyalty_object(TEST_ISSUER_ID, pass_, offer.ladder.standing(0))["state"] == "EXPIRED"
    assert loyalty_object_patch(pass_, offer.ladder.standing(0), notify=True)["state"] == "EXPIRED"


def test_patch_notifies_only_when_asked_and_never_changes_identity() -> None:
    offer = sample_offer()
    pass_ = sample_pass(offer, current_stamps=2, rewards_claimed=3)
    quiet = loyalty_object_patch(pass_, offer.ladder.standing(3), notify=False)
    loud = loyalty_object_patch(pass_, offer.ladder.standing(3), notify=True)
    assert "notifyPreference" not in quiet
    assert loud["notifyPreference"] == NOTIFY_ON_UPDATE
    assert not {"id", "classId", "barcode", "accountId"} & quiet.keys()
    assert quiet["loyaltyPoints"]["balance"] == {"int": 3}
    assert len(quiet["textModulesData"]) == 3


@given(customer=st.text(min_size=1, max_size=40), offer=st.text(min_size=1, max_size=40))
def test_resource_ids_only_use_the_characters_google_accepts(customer: str, offer: str) -> None:
    for resource_id in (object_id(TEST_ISSUER_ID, customer, offer), class_id(TEST_ISSUER_ID, offer)):
        issuer, _, suffix = resource_id.partition(".")
        assert issuer == TEST_ISSUER_ID
        assert re.fullmatch(r"[A-Za-z0-9._-]+", suffix)


def test_object_ids_of_real_ids_are_readable_and_distinct() -> None:
    first = object_id(TEST_ISSUER_ID, "cus_aaaaaaaaaa", "off_bbbbbbbbbb")
    second = object_id(TEST_ISSUER_ID, "cus_aaaaaaaaaa", "off_cccccccccc")
    assert first == f"{TEST_ISSUER_ID}.cus_aaaaaaaaaa-off_bbbbbbbbbb"
    assert first != second
