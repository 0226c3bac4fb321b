"""The pass routes' mapping, handler by handler with fakes (no gateway, no table): the status, body and headers
a scanner gets for each result and refusal, the contract's error codes, the token and business checks, and a
retry under an Idempotency-Key answered byte for byte as the first time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from types import ModuleType

import pytest

from loyalty import bootstrap
from loyalty.app.staff.branch_cache import CachedBranches
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, StampMark
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.handlers import Answer, Caller, call, load_handler
from tests.support.passes import fresh_pass

BUSINESS = "biz_passroutes000001"
MANAGER = Caller("manager-1", BUSINESS, ("manager",), "branch-1")
OWNER = Caller("owner-1", BUSINESS, ("owner",))
STRANGER = Caller("manager-9", "biz_someotherbusiness", ("manager",), "branch-9")


pytestmark = pytest.mark.usefixtures("handler_environment")


@pytest.fixture
def offer(store: InMemoryPassStore) -> Offer:
    return store.add_offer(an_offer(BUSINESS, stamps_required=3, min_minutes_between_stamps=0))


@pytest.fixture
def provided(store: InMemoryPassStore, offer: Offer) -> Iterator[None]:
    # Each business's active branches, as the business's records would answer them.
    branches = CachedBranches(
        lambda business_id: {"branch-1"} if business_id == BUSINESS else {"branch-9"}, max_age=60
    )
    with bootstrap.provided(
        pass_store=store, offers=lambda offer_id: store.offers.get(offer_id), active_branches=branches
    ):
        yield


def a_pass(store: InMemoryPassStore, clock: FrozenClock, offer: Offer, stamps: int = 0) -> Pass:
    pass_ = fresh_pass(
        offer.stamps_required,
        to_iso(clock()),
        customer_id=new_id("cus"),
        offer_id=offer.offer_id,
        business_id=BUSINESS,
    )
    marks = tuple(StampMark(to_iso(clock()), "branch-1") for _ in range(stamps))
    return store.add_pass(replace(pass_, current_stamps=stamps, cycle_stamps=marks))


def post(
    module: ModuleType, path: str, caller: Caller | None, key: str | None = None, body: object = None
) -> Answer:
    headers = {"idempotency-key": key} if key else None
    return call(module, "POST", path, caller=caller, headers=headers, body=body)


@pytest.mark.usefixtures("provided")
def test_a_scan_answers_200_with_the_new_progress_and_tier(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    pass_ = a_pass(store, clock, offer, stamps=1)
    answer = post(
        load_handler("scan"), f"/api/branch-manager/scan/{pass_.customer_id}/{offer.offer_id}", MANAGER
    )
    assert answer.status == 200
    assert answer.body["success"] is True and answer.body["stampAwarded"] is True
    assert answer.body["progress"]["currentStamps"] == 2
    assert answer.body["rewardReady"] is False
    assert set(answer.body["tier"]) >= {"currentTier", "isTopTier"}


@pytest.mark.usefixtures("provided")
def test_a_full_pass_answers_409_reward_ready_with_its_progress_and_a_retry_gets_the_same_bytes(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    pass_ = a_pass(store, clock, offer, stamps=3)
    scan = load_handler("scan")
    path = f"/api/branch-manager/scan/{pass_.customer_id}/{offer.offer_id}"
    first = post(scan, path, MANAGER, key="visit-1")
    again = post(scan, path, MANAGER, key="visit-1")
    assert (first.status, first.body["error"]["code"]) == (409, "REWARD_READY")
    assert first.body["progress"]["currentStamps"] == 3
    assert (again.status, again.body) == (first.status, first.body)


@pytest.mark.usefixtures("provided")
def test_a_stamp_within_the_cooldown_answers_429_with_retry_after(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    store.add_offer(replace(offer, min_minutes_between_stamps=10))
    pass_ = a_pass(store, clock, offer)
    scan = load_handler("scan")
    path = f"/api/branch-manager/scan/{pass_.customer_id}/{offer.offer_id}"
    assert post(scan, path, MANAGER).status == 200
    refused = post(scan, path, MANAGER)
    assert (refused.status, refused.body["error"]["code"]) == (429, "STAMP_TOO_SOON")
    assert refused.body["error"]["details"][0]["field"] == "nextStampAt"
    assert 590 <= int(refused.headers["retry-after"]) <= 600  # the ten-minute cooldown, whole seconds


@pytest.mark.usefixtures("provided")
def test_no_token_is_401_and_another_business_gets_404_pass_not_found(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    pass_ = a_pass(store, clock, offer)
    scan = load_handler("scan")
    path = f"/api/branch-manager/scan/{pass_.customer_id}/{offer.offer_id}"
    unsigned = post(scan, path, None)
    stranger = post(scan, path, STRANGER)
    assert (unsigned.status, unsigned.body["error"]["code"]) == (401, "UNAUTHORIZED")
    assert (stranger.status, stranger.body["error"]["code"]) == (404, "PASS_NOT_FOUND")
    assert store.passes[(pass_.customer_id, offer.offer_id)].current_stamps == 0


@pytest.mark.usefixtures("provided")
def test_confirming_a_full_pass_starts_a_new_cycle_and_a_short_one_answers_409(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    confirm = load_handler("confirm-prize")
    full, short = a_pass(store, clock, offer, stamps=3), a_pass(store, clock, offer, stamps=1)
    claimed = post(confirm, f"/api/branch-manager/confirm-prize/{full.customer_id}/{offer.offer_id}", MANAGER)
    refused = post(
        confirm, f"/api/branch-manager/confirm-prize/{short.customer_id}/{offer.offer_id}", MANAGER
    )
    assert claimed.status == 200
    assert claimed.body["newCycleStarted"] is True and claimed.body["totalCompletions"] == 1
    assert claimed.body["progress"]["currentStamps"] == 0
    assert (refused.status, refused.body["error"]["code"]) == (409, "NOT_ENOUGH_STAMPS")
    assert refused.body["progress"] == {
        "currentStamps": 1,
        "maxStamps": 3,
        "rewardsClaimed": 0,
        "stampsEarned": 1,
        "stampsRequired": 3,
    }


@pytest.mark.usefixtures("provided")
def test_a_void_takes_back_a_stamp_with_its_reason_and_an_empty_cycle_answers_409(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    void = load_handler("void-stamp")
    pass_ = a_pass(store, clock, offer, stamps=1)
    path = f"/api/branch-manager/void-stamp/{pass_.customer_id}/{offer.offer_id}"
    voided = post(void, path, MANAGER, body={"reason": "  scanned twice  "})
    nothing = post(void, path, MANAGER)
    assert voided.status == 200
    assert (voided.body["stampAwarded"], voided.body["stampVoided"]) == (False, True)
    assert voided.body["progress"]["currentStamps"] == 0
    assert store.events[-1].reason == "scanned twice"
    assert (nothing.status, nothing.body["error"]["code"]) == (409, "NOTHING_TO_VOID")


@pytest.mark.usefixtures("provided")
def test_a_void_reason_too_long_is_422_and_changes_nothing(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    pass_ = a_pass(store, clock, offer, stamps=1)
    path = f"/api/branch-manager/void-stamp/{pass_.customer_id}/{offer.offer_id}"
    refused = post(load_handler("void-stamp"), path, MANAGER, body={"reason": "x" * 201, "extra": 1})
    assert (refused.status, refused.body["error"]["code"]) == (422, "VALIDATION_ERROR")
    assert {d["field"] for d in refused.body["error"]["details"]} == {"reason", "extra"}
    assert store.passes[(pass_.customer_id, offer.offer_id)].current_stamps == 1


@pytest.mark.usefixtures("provided")
def test_the_same_key_on_another_action_is_422_idempotency_key_reused(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    pass_ = a_pass(store, clock, offer, stamps=2)
    scanned = post(
        load_handler("scan"), f"/api/branch-manager/scan/{pass_.customer_id}/{offer.offer_id}", MANAGER, "k1"
    )
    reused = post(
        load_handler("confirm-prize"),
        f"/api/branch-manager/confirm-prize/{pass_.customer_id}/{offer.offer_id}",
        MANAGER,
        "k1",
    )
    assert scanned.status == 200
    assert (reused.status, reused.body["error"]["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")
    assert reused.body["error"]["details"] == [
        {"field": "Idempotency-Key", "message": "already used for a different request"}
    ]


@pytest.mark.usefixtures("provided")
def test_the_status_route_answers_the_pass_and_a_malformed_id_is_404(
    store: InMemoryPassStore, clock: FrozenClock, offer: Offer
) -> None:
    status = load_handler("pass-status")
    pass_ = a_pass(store, clock, offer, stamps=2)
    read = call(
        status, "GET", f"/api/branch-manager/passes/{pass_.customer_id}/{offer.offer_id}", caller=MANAGER
    )
    garbage = call(status, "GET", f"/api/branch-manager/passes/not-an-id/{offer.offer_id}", caller=MANAGER)
    assert read.status == 200
    assert (read.body["customerId"], read.body["status"], read.body["progress"]["currentStamps"]) == (
        pass_.customer_id,
        "ACTIVE",
        2,
    )
    assert (garbage.status, garbage.body["error"]["code"]) == (404, "PASS_NOT_FOUND")


def test_provided_refuses_a_collaborator_that_does_not_exist() -> None:
    with pytest.raises(KeyError, match="pass_stor"), bootstrap.provided(pass_stor=object()):
        pass
