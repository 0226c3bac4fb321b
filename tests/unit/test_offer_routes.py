"""The offer, tier and enroll routes' mapping, handler by handler with fakes (no gateway, no table): statuses,
bodies, error codes and headers as the dashboard and a customer's phone get them, each body parsed once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from loyalty import bootstrap
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.staff.branch_cache import CachedBranches
from tests.support.apple_passes import an_offer
from tests.support.fakes import (
    CountingThrottle,
    DrawnPreviews,
    FrozenClock,
    InMemoryBrandImages,
    InMemoryBusinessProfiles,
    InMemoryOfferStore,
    InMemoryPassStore,
)
from tests.support.handlers import Caller, call, load_handler

BUSINESS = "biz_offerroutes00001"
OWNER = Caller("owner-1", BUSINESS, ("owner",))
MANAGER = Caller("manager-1", BUSINESS, ("manager",), "branch-1")
RIVAL = Caller("owner-9", "biz_someotherbusiness", ("owner",))
LADDER = {
    "enabled": True,
    "tiers": [
        {"id": "member", "name": "Member", "nameAr": "عضو", "minRewards": 1, "maxRewards": None, "icon": "⭐"}
    ],
}


pytestmark = pytest.mark.usefixtures("handler_environment")


@pytest.fixture
def offers() -> InMemoryOfferStore:
    return InMemoryOfferStore()


@pytest.fixture
def passes() -> InMemoryPassStore:
    return InMemoryPassStore(FrozenClock())


@pytest.fixture
def throttle() -> CountingThrottle:
    return CountingThrottle()


@pytest.fixture(autouse=True)
def _provided(
    offers: InMemoryOfferStore, passes: InMemoryPassStore, throttle: CountingThrottle
) -> Iterator[None]:
    with bootstrap.provided(
        offer_store=offers,
        pass_store=passes,
        wallet_previews=DrawnPreviews(),
        # An edit may carry the offer's own brand: checked and drawn as the business's is.
        business_profiles=InMemoryBusinessProfiles(),
        brand_images=InMemoryBrandImages(),
        throttle=throttle,
        recovery_mail=RecoveryMail.never_mailing(),
        # The business's active branches, as its records would answer them.
        active_branches=CachedBranches(lambda business_id: {"branch-1"}, max_age=60),
    ):
        yield


def test_an_owner_creates_an_offer_and_a_retry_under_its_key_gets_the_same_201(
    offers: InMemoryOfferStore,
) -> None:
    handler = load_handler("offers")
    body = {"name": "Morning Coffee", "stampsRequired": 8, "loyaltyTiers": LADDER}
    first = call(
        handler, "POST", "/api/offers", caller=OWNER, body=body, headers={"idempotency-key": "new-1"}
    )
    again = call(
        handler, "POST", "/api/offers", caller=OWNER, body=body, headers={"idempotency-key": "new-1"}
    )
    other = call(
        handler,
        "POST",
        "/api/offers",
        caller=OWNER,
        body={**body, "name": "Tea"},
        headers={"idempotency-key": "new-1"},
    )
    assert first.status == 201
    assert (first.body["name"], first.body["stampsRequired"], first.body["status"]) == (
        "Morning Coffee",
        8,
        "ACTIVE",
    )
    assert first.body["loyaltyTiers"]["tiers"][0]["id"] == "member"
    assert (again.status, again.body) == (201, first.body)
    assert len(offers.offers) == 1
    assert (other.status, other.body["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_an_invalid_offer_is_422_with_every_problem_and_a_manager_may_not_create(
    offers: InMemoryOfferStore,
) -> None:
    handler = load_handler("offers")
    invalid = call(handler, "POST", "/api/offers", caller=OWNER, body={"name": "", "stampsRequired": 0})
    refused = call(handler, "POST", "/api/offers", caller=MANAGER, body={"name": "Tea", "stampsRequired": 5})
    assert (invalid.status, invalid.body["error"]["code"]) == (422, "VALIDATION_ERROR")
    assert {detail["field"] for detail in invalid.body["error"]["details"]} >= {"name", "stampsRequired"}
    assert (refused.status, refused.body["error"]["code"]) == (403, "FORBIDDEN")
    assert offers.offers == {}


def test_another_business_reads_no_offer_and_an_edit_answers_the_edited_offer(
    offers: InMemoryOfferStore,
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    handler = load_handler("offers")
    path = f"/api/offers/{offer.offer_id}"
    hidden = call(handler, "GET", path, caller=RIVAL)
    edited = call(handler, "PATCH", path, caller=OWNER, body={"name": "Evening Coffee", "nameAr": ""})
    typo = call(handler, "PATCH", path, caller=OWNER, body={"nmae": "Oops"})
    assert (hidden.status, hidden.body["error"]["code"]) == (404, "OFFER_NOT_FOUND")
    assert edited.status == 200
    assert (edited.body["name"], edited.body["nameAr"]) == ("Evening Coffee", None)
    assert (typo.status, typo.body["error"]["details"][0]["field"]) == (422, "nmae")
    assert offers.offers[offer.offer_id].name == "Evening Coffee"


def test_tiers_are_set_then_reset_and_the_answer_says_which_ladder_is_in_force(
    offers: InMemoryOfferStore,
) -> None:
    offer = an_offer(BUSINESS)
    offers.add(offer)
    handler = load_handler("tier-config")
    path = f"/api/offers/{offer.offer_id}/loyalty-tiers"
    put = call(handler, "PUT", path, caller=OWNER, body=LADDER)
    read = call(handler, "GET", path, caller=MANAGER)
    reset = call(handler, "DELETE", path, caller=OWNER)
    bad = call(handler, "PUT", path, caller=OWNER, body={"enabled": True, "tiers": [{"id": "x"}]})
    assert (put.status, put.body["source"], [t["id"] for t in put.body["tiers"]]) == (
        200,
        "custom",
        ["member"],
    )
    assert read.body == put.body
    assert (reset.status, reset.body["source"], reset.body["enabled"]) == (200, "default", False)
    assert (bad.status, bad.body["error"]["code"]) == (422, "VALIDATION_ERROR")
    assert bad.body["error"]["details"][0]["field"].startswith("tiers[0]")


def test_a_preview_is_checked_against_the_offer_and_drawn_at_the_counts_asked(
    offers: InMemoryOfferStore,
) -> None:
    offer = an_offer(BUSINESS, stamps_required=5)
    offers.add(offer)
    handler = load_handler("offers")
    path = f"/api/offers/{offer.offer_id}/pass-preview"
    drawn = call(
        handler, "POST", path, caller=OWNER, body={"currentStamps": 4, "rewardsClaimed": 2, "language": "ar"}
    )
    too_many = call(handler, "POST", path, caller=OWNER, body={"currentStamps": 6})
    drafted = call(handler, "POST", path, caller=OWNER, body={"loyaltyTiers": LADDER, "rewardsClaimed": 1})
    assert drawn.status == 200
    assert (drawn.body["apple"], drawn.body["google"]) == ({"stamps": 4, "language": "ar"}, {"rewards": 2})
    assert (too_many.status, too_many.body["error"]["details"][0]["field"]) == (422, "currentStamps")
    assert drafted.body["tier"]["currentTier"]["id"] == "member"


def test_enroll_answers_201_with_the_pass_then_202_for_the_same_email_and_429_past_the_limit(
    offers: InMemoryOfferStore, passes: InMemoryPassStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENROLL_LIMIT_PER_ADDRESS", "2")
    bootstrap.reset()
    offer = passes.add_offer(an_offer(BUSINESS))
    handler = load_handler("enroll")
    path = f"/api/offers/{offer.offer_id}/enroll"
    form = {"email": "Jane@Example.com", "name": "Jane"}
    joined = call(handler, "POST", path, caller=None, body=form)
    known = call(handler, "POST", path, caller=None, body=form)
    throttled = call(handler, "POST", path, caller=None, body={"email": "bob@example.com", "name": "Bob"})
    assert joined.status == 201
    assert (joined.body["offerId"], joined.body["status"]) == (offer.offer_id, "ACTIVE")
    assert joined.body["qrPayload"].endswith(f":{joined.body['customerId']}:{offer.offer_id}")
    assert (known.status, known.body) == (202, {"success": True, "status": "VERIFICATION_SENT"})
    assert (throttled.status, throttled.body["error"]["code"]) == (429, "TOO_MANY_REQUESTS")
    assert int(throttled.headers["retry-after"]) >= 1
    assert len(passes.passes) == 1
