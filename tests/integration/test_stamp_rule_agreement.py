"""One stamp rule, three readers that must agree: the domain (`award_stamp`, `broken_stamp_rules`), the scan's
DynamoDB condition (evaluated by DynamoDB Local itself) and the in-memory store the unit tests run on. Hypothesis
draws passes (status, business, stamps, prizes, last stamp), offers (requirement, cooldown, unknown), clocks
(boundaries of the cooldown included, to the millisecond) and keys (none, fresh, a retry); every case must give
the same decision and, when refused, the same reason, through the store's one write and through the whole scan."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.app.idempotency import IdempotentRequest, StoredAnswer
from loyalty.app.passes.commands import Actor
from loyalty.app.ports.passes import ChangeNote, PassChange, StampAttempt
from loyalty.app.ports.passes import PassStore as PassStorePort
from loyalty.domain.clock import to_iso
from loyalty.domain.errors import DomainError
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import (
    Pass,
    PassStatus,
    StampRule,
    StampTerms,
    award_stamp,
    broken_stamp_rules,
    stamp_refusal,
)
from loyalty.entrypoints.http.render import progress_block, render_error
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.pass_actions import scan
from tests.support.passes import fresh_pass

pytestmark = pytest.mark.integration

BUSINESS = "biz_agreementbusiness"
STRANGER = "biz_strangerbusiness1"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")
START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
EXAMPLES = settings(
    max_examples=120,
    deadline=None,  # no timed tests: DynamoDB Local's speed is not what is checked
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass(frozen=True)
class Case:
    pass_: Pass
    offer: Offer | None
    at: str
    key: str | None  # None: no Idempotency-Key; "fresh": a new one; "retry": the same scan sent twice

    @property
    def cooldown(self) -> int:
        return self.offer.min_minutes_between_stamps if self.offer is not None else 0

    @property
    def required(self) -> int | None:
        return self.offer.stamps_required if self.offer is not None else None

    def terms(self) -> StampTerms:
        return StampTerms.of(BUSINESS, self.at, self.required, self.cooldown)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    now = START + timedelta(milliseconds=draw(st.integers(0, 3 * 86_400_000)))
    required = draw(st.integers(1, 6))
    current = draw(st.integers(0, required))
    rewards = draw(st.integers(0, 3))
    cooldown = draw(st.sampled_from([0, 0, 1, 5, 30]))
    # The last stamp: none, or some whole minutes before now (the cooldown's edge exactly) less a few ms.
    since = draw(st.none() | st.tuples(st.integers(0, 40), st.sampled_from([0, 0, 1, 999, 30_000])))
    last = None if since is None else to_iso(now - timedelta(minutes=since[0], milliseconds=-since[1]))
    status = draw(
        st.sampled_from([PassStatus.ACTIVE, PassStatus.ACTIVE, PassStatus.EXPIRED, PassStatus.ERASED])
    )
    business = draw(st.sampled_from([BUSINESS, BUSINESS, BUSINESS, STRANGER]))
    enrolled = to_iso(START - timedelta(days=30))
    pass_ = replace(
        fresh_pass(
            required, enrolled, customer_id=new_id("cus"), offer_id=new_id("off"), business_id=business
        ),
        status=status,
        current_stamps=current,
        rewards_claimed=rewards,
        lifetime_stamps=current + rewards * required,
        last_stamp_at=last,
        expired_at=enrolled if status is PassStatus.EXPIRED else None,
        version=draw(st.integers(1, 40)),
    )
    offer_required = draw(st.none() | st.integers(1, 6))
    offer = (
        None
        if offer_required is None
        else an_offer(
            BUSINESS,
            offer_id=pass_.offer_id,
            stamps_required=offer_required,
            min_minutes_between_stamps=cooldown,
        )
    )
    key = draw(st.sampled_from([None, "fresh", "retry"]))
    return Case(pass_, offer, to_iso(now), key)


def stores(ddb: Any, table_name: str, case: Case) -> dict[str, PassStorePort]:
    """The same pass, written through each store's own way of writing it."""
    clock = FrozenClock(datetime.fromisoformat(case.at.replace("Z", "+00:00")))
    both: dict[str, PassStorePort] = {
        "dynamodb": DynamoPassStore(ddb, table_name),
        "in-memory": InMemoryPassStore(clock),
    }
    for store in both.values():
        store.commit(PassChange(case.pass_, None, ChangeNote("ENROLL", "customer"), StoredAnswer(201, {})))
    return both


def domain_answer(case: Case) -> tuple[int, str | None]:
    """What the domain alone says of the scan: who may see the pass, then the stamp's rules."""
    pass_ = case.pass_
    if pass_.business_id != BUSINESS or pass_.status is PassStatus.ERASED:
        return 404, "PASS_NOT_FOUND"
    try:
        award_stamp(
            pass_,
            case.at,
            "branch-1",
            offer_stamps_required=case.required,
            min_minutes_between_stamps=case.cooldown,
        )
    except DomainError as refusal:
        return render_error(refusal).status, refusal.code
    return 200, None


@given(case=cases())
@EXAMPLES
def test_the_one_write_lands_exactly_when_the_domain_finds_no_rule_broken(
    ddb: Any, table_name: str, case: Case
) -> None:
    terms = case.terms()
    broken = broken_stamp_rules(case.pass_, terms)
    for name, store in stores(ddb, table_name, case).items():
        request = (
            IdempotentRequest.of(BUSINESS, f"key-{case.pass_.customer_id}", "scan", {"case": name})
            if case.key
            else None
        )
        outcome = store.stamp(
            StampAttempt(
                customer_id=case.pass_.customer_id,
                offer_id=case.pass_.offer_id,
                business_id=BUSINESS,
                at=case.at,
                note=ChangeNote("STAMP", MANAGER.sub, MANAGER.branch_id),
                offer_stamps_required=terms.offer_stamps_required,
                last_stamp_not_after=terms.last_stamp_not_after,
                request=request,
            )
        )
        assert outcome.stamped == (broken == ()), (name, broken)
        assert outcome.pass_ is not None
        if not outcome.stamped:
            # Refused: the write returns the pass as it stood, and the domain reads the same reason from it.
            assert outcome.pass_ == case.pass_, name
            refusal = stamp_refusal(outcome.pass_, terms, case.cooldown)
            expected = stamp_refusal(case.pass_, terms, case.cooldown)
            assert (refusal.code if refusal else None) == (expected.code if expected else None), name
            continue
        given_by_domain = award_stamp(
            case.pass_,
            case.at,
            "branch-1",
            offer_stamps_required=case.required,
            min_minutes_between_stamps=case.cooldown,
        )
        assert outcome.pass_ == given_by_domain, name


def scanned(
    store: PassStorePort, clock: FrozenClock, key: str | None, case: Case
) -> tuple[int, dict[str, Any], dict[str, str]]:
    """The scan use case's answer (status, body, headers), a refusal included."""
    try:
        answer = scan(
            store,
            clock,
            MANAGER,
            case.pass_.customer_id,
            case.pass_.offer_id,
            key,
            offers=lambda _: case.offer,
            backoff=lambda _: None,
        )
    except DomainError as refusal:
        answer = render_error(refusal)
    return answer.status, answer.body, answer.headers


@given(case=cases())
@EXAMPLES
def test_a_scan_answers_alike_on_dynamodb_and_in_memory_and_as_the_domain_decides(
    ddb: Any, table_name: str, case: Case
) -> None:
    answers = {}
    after = {}
    for name, store in stores(ddb, table_name, case).items():
        clock = FrozenClock(datetime.fromisoformat(case.at.replace("Z", "+00:00")))
        key = None if case.key is None else f"key-{case.pass_.customer_id}"
        first = scanned(store, clock, key, case)
        if case.key == "retry":
            clock.advance(seconds=2)
            # The key's first answer again, and nothing more changes (its Retry-After is not kept).
            assert scanned(store, clock, key, case)[:2] == first[:2], name
        answers[name] = first
        after[name] = store.get_pass(case.pass_.customer_id, case.pass_.offer_id)
    assert answers["dynamodb"] == answers["in-memory"]
    status, body, _ = answers["dynamodb"]
    code = body["error"]["code"] if status != 200 else None
    assert (status, code) == domain_answer(case)
    assert after["dynamodb"] == after["in-memory"]
    stamped = after["dynamodb"]
    assert stamped is not None
    if status == 200:
        given_by_domain = award_stamp(
            case.pass_,
            case.at,
            "branch-1",
            offer_stamps_required=case.required,
            min_minutes_between_stamps=case.cooldown,
        )
        assert body["progress"] == progress_block(given_by_domain)
        assert (stamped.current_stamps, stamped.stamps_required, stamped.version) == (
            given_by_domain.current_stamps,
            given_by_domain.stamps_required,
            given_by_domain.version,
        )
    else:
        assert stamped == case.pass_  # a refusal changes nothing a customer sees


def test_every_rule_is_broken_by_some_pass() -> None:
    """The rules are all live: each is the one broken rule of some pass (so none is vacuous in the condition)."""
    at = to_iso(START)
    base = replace(fresh_pass(3, at, business_id=BUSINESS), current_stamps=1, last_stamp_at=at)
    terms = StampTerms.of(BUSINESS, to_iso(START + timedelta(minutes=10)), 3, 5)
    breaking = {
        StampRule.OF_THE_BUSINESS: replace(base, business_id=STRANGER),
        StampRule.ACTIVE: replace(base, status=PassStatus.EXPIRED),
        StampRule.NOT_FULL: replace(base, current_stamps=3),
        StampRule.PAST_COOLDOWN: replace(base, last_stamp_at=to_iso(START + timedelta(minutes=6))),
        StampRule.CYCLE_ON_OFFER_REQUIREMENT: replace(base, current_stamps=0, stamps_required=4),
    }
    assert set(breaking) == set(StampRule)
    for rule, pass_ in breaking.items():
        assert broken_stamp_rules(pass_, terms) == (rule,)
