"""The workflow's tasks on DynamoDB Local and the AIR Kit sandbox: what each run does to the record and to AIR."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.airkit.client import AirKitRejected, AirKitUnavailable
from loyalty.adapters.dynamodb.issuances import DynamoIssuanceStore
from loyalty.app.credentials import workflow
from loyalty.domain.clock import to_iso, utc_now
from loyalty.domain.credentials import FAILED, ONCHAIN, TIMED_OUT, WAIT_ONCHAIN, Issuance, upgrade_issuance_id
from tests.support.airkit_partnership import Partnership, partnership

pytestmark = pytest.mark.integration

CUSTOMER = "cus_" + "w" * 26
OFFER = "off_" + "w" * 26
EMAIL = "member@example.com"
POLLING = {"initialWaitSeconds": "1", "maxWaitSeconds": "30", "deadlineSeconds": "600"}


@pytest.fixture
def air() -> Iterator[Partnership]:
    with partnership() as running:
        yield running


@pytest.fixture
def store(ddb: Any, table_name: str) -> DynamoIssuanceStore:
    return DynamoIssuanceStore(ddb, table_name)


def create(store: DynamoIssuanceStore, claimed: int, tier: str, created_at: str) -> Issuance:
    issuance = Issuance(
        issuance_id=upgrade_issuance_id(CUSTOMER, OFFER, claimed),
        customer_id=CUSTOMER,
        offer_id=OFFER,
        business_id="biz_" + "w" * 26,
        tier_id=tier,
        tier_name=f"{tier.title()} Member",
        subject={
            "tier": f"{tier.title()} Member",
            "lifetimePoints": claimed * 5,
            "memberSince": "2026-01-05",
            "upgradedAt": created_at,
        },
        created_at=created_at,
        updated_at=created_at,
    )
    assert store.create(issuance, EMAIL)
    return issuance


def submit(store: DynamoIssuanceStore, air: Partnership, issuance: Issuance) -> dict[str, Any]:
    return workflow.submit(
        store,
        air.client(),
        utc_now,
        {"issuanceId": issuance.issuance_id, "polling": POLLING, "startedAt": to_iso(utc_now())},
    )


def issue_posts(air: Partnership) -> list[dict[str, Any]]:
    return [e for e in air.sandbox.received if e["path"].endswith("issue-on-behalf")]


def test_a_newer_upgrade_waits_until_the_older_one_is_with_air_kit(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    silver = create(store, 3, "silver", "2026-11-23T10:00:00.000Z")
    gold = create(store, 6, "gold", "2026-11-23T10:00:01.000Z")

    with pytest.raises(workflow.EarlierIssuancePending, match=silver.issuance_id):
        submit(store, air, gold)
    assert issue_posts(air) == []
    assert store.get(gold.issuance_id).attempts == 0  # type: ignore[union-attr]

    assert submit(store, air, silver)["status"] == WAIT_ONCHAIN
    assert submit(store, air, gold)["status"] == WAIT_ONCHAIN
    tiers = [e["body"]["credentialSubject"]["tier"] for e in issue_posts(air)]
    assert tiers == ["Silver Member", "Gold Member"]
    standing = [c for c in air.sandbox.credentials.values() if c.revoked_at is None]
    assert [c.subject["tier"] for c in standing] == ["Gold Member"]


def test_submitting_again_after_acceptance_does_not_issue_twice(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    first = submit(store, air, gold)
    again = submit(store, air, gold)
    assert len(issue_posts(air)) == 1
    assert again["coreClaimHash"] == first["coreClaimHash"]
    assert store.get(gold.issuance_id).attempts == 1  # type: ignore[union-attr]


def test_a_refusal_counts_the_attempt_and_leaves_the_outcome_to_the_catch(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    with pytest.raises(AirKitRejected, match="Issuer not found") as refused:
        workflow.submit(
            store,
            air.client(AIRKIT_ISSUER_DID="did:air:id:test:other"),
            utc_now,
            {"issuanceId": gold.issuance_id, "polling": POLLING},
        )
    cause = json.dumps({"errorType": "AirKitRejected", "errorMessage": str(refused.value)})
    recorded = workflow.record(
        store,
        utc_now,
        {
            "issuanceId": gold.issuance_id,
            "outcome": FAILED,
            "failure": {"Error": "AirKitRejected", "Cause": cause},
        },
    )
    assert recorded["status"] == FAILED
    final = store.get(gold.issuance_id)
    assert final is not None
    assert final.attempts == 1
    assert final.error == "AIR Kit issue-on-behalf answered 404: Issuer not found"


def test_checks_double_the_wait_until_on_chain(store: DynamoIssuanceStore, air: Partnership) -> None:
    air.sandbox.config.onchain_after_polls = 3
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    poll = submit(store, air, gold)
    waits = [poll["waitSeconds"]]
    while poll["vcStatus"] != ONCHAIN:
        poll = workflow.check(store, air.client(), utc_now, {"issuanceId": gold.issuance_id, "poll": poll})
        waits.append(poll["waitSeconds"])
    assert waits == [1, 2, 4, 8]
    assert poll["checks"] == 3
    assert poll["pastDeadline"] is False
    workflow.record(store, utc_now, {"issuanceId": gold.issuance_id, "outcome": ONCHAIN})
    assert store.get(gold.issuance_id).status == ONCHAIN  # type: ignore[union-attr]


def test_past_the_deadline_a_pending_chain_is_timed_out_and_stays_so(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    air.sandbox.config.onchain_after_polls = 1000
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    poll = submit(store, air, gold)
    poll["deadlineAt"] = to_iso(datetime.now(UTC) + timedelta(seconds=3))
    poll["waitSeconds"] = 16
    near = workflow.check(store, air.client(), utc_now, {"issuanceId": gold.issuance_id, "poll": poll})
    assert near["pastDeadline"] is False
    assert near["waitSeconds"] <= 3  # never sleeps past the deadline
    poll["deadlineAt"] = to_iso(datetime.now(UTC) - timedelta(seconds=1))
    late = workflow.check(store, air.client(), utc_now, {"issuanceId": gold.issuance_id, "poll": poll})
    assert late["pastDeadline"] is True

    workflow.record(store, utc_now, {"issuanceId": gold.issuance_id, "outcome": TIMED_OUT, "poll": late})
    timed_out = store.get(gold.issuance_id)
    assert timed_out is not None
    assert timed_out.status == TIMED_OUT
    assert "deadline" in (timed_out.error or "")
    answer = workflow.record(store, utc_now, {"issuanceId": gold.issuance_id, "outcome": ONCHAIN})
    assert answer["status"] == TIMED_OUT


def test_an_older_upgrade_never_revokes_a_newer_credential_already_with_air_kit(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    silver = create(store, 3, "silver", "2026-11-23T10:00:00.000Z")
    gold = create(store, 6, "gold", "2026-11-23T10:00:01.000Z")
    # Gold went first (its submitter read the pass's issuances before Silver's record showed in the index).
    store.move(gold.issuance_id, WAIT_ONCHAIN, "2026-11-23T10:00:02.000Z", core_claim_hash="0xgold")

    with pytest.raises(workflow.IssuanceSuperseded, match=gold.issuance_id) as superseded:
        submit(store, air, silver)
    assert issue_posts(air) == []
    cause = json.dumps({"errorType": "IssuanceSuperseded", "errorMessage": str(superseded.value)})
    workflow.record(
        store,
        utc_now,
        {
            "issuanceId": silver.issuance_id,
            "outcome": FAILED,
            "failure": {"Error": "IssuanceSuperseded", "Cause": cause},
        },
    )
    failed = store.get(silver.issuance_id)
    assert failed is not None
    assert failed.status == FAILED
    assert "superseded by" in (failed.error or "")
    assert failed.attempts == 0


def _slow_answer(air: Partnership, email: str) -> None:
    from loyalty_local.standins.airkit import Fault

    air.sandbox.faults.append(Fault("slow", endpoint="issue", email=email, times=1, delay_seconds=1.5))


def _held(air: Partnership) -> list[Any]:
    return [c for c in air.sandbox.credentials.values() if c.email == EMAIL]


def test_a_lost_answer_is_resubmitted_with_ignore_and_leaves_one_credential(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    _slow_answer(air, EMAIL)
    impatient = air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5)
    event = {"issuanceId": gold.issuance_id, "polling": POLLING}
    with pytest.raises(AirKitUnavailable):
        workflow.submit(store, impatient, utc_now, event)
    assert store.get(gold.issuance_id).maybe_accepted  # type: ignore[union-attr]

    # AIR Kit answers the duplicate with the credential it holds (one reading of its docs): it is waited for,
    # and only a status check that says ONCHAIN makes it ONCHAIN.
    air.sandbox.config.duplicate_answer = "200"
    air.sandbox.config.onchain_after_polls = 2
    poll = workflow.submit(store, air.client(), utc_now, event)
    assert poll["vcStatus"] == WAIT_ONCHAIN
    assert store.get(gold.issuance_id).status == WAIT_ONCHAIN  # type: ignore[union-attr]
    checked = workflow.check(store, air.client(), utc_now, {"issuanceId": gold.issuance_id, "poll": poll})
    assert checked["vcStatus"] == WAIT_ONCHAIN
    checked = workflow.check(store, air.client(), utc_now, {"issuanceId": gold.issuance_id, "poll": checked})
    assert checked["vcStatus"] == ONCHAIN
    assert [e["body"]["onDuplicate"] for e in issue_posts(air)] == ["revoke", "ignore"]
    (credential,) = _held(air)
    assert credential.revoked_at is None
    assert store.get(gold.issuance_id).core_claim_hash == credential.core_claim_hash  # type: ignore[union-attr]


def test_a_lost_answer_and_a_bare_409_is_never_taken_for_onchain(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    _slow_answer(air, EMAIL)
    event = {"issuanceId": gold.issuance_id, "polling": POLLING}
    with pytest.raises(AirKitUnavailable):
        workflow.submit(store, air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5), utc_now, event)
    # The other reading: 409 "already issued" with no hash, so no status can be checked.
    with pytest.raises(workflow.UncheckableDuplicate, match="check the customer's credential"):
        workflow.submit(store, air.client(), utc_now, event)
    assert store.get(gold.issuance_id).status != ONCHAIN  # type: ignore[union-attr]


@pytest.mark.parametrize("in_doubt", [False, True])
def test_a_refused_consent_ends_failed_with_its_reason(
    store: DynamoIssuanceStore, air: Partnership, in_doubt: bool
) -> None:
    from loyalty_local.standins.airkit import Fault

    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    event = {"issuanceId": gold.issuance_id, "polling": POLLING}
    if in_doubt:  # the resubmission after a lost answer goes with onDuplicate "ignore"
        _slow_answer(air, EMAIL)
        with pytest.raises(AirKitUnavailable):
            workflow.submit(store, air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5), utc_now, event)
        air.sandbox.credentials.clear()
    air.sandbox.faults.append(Fault("consent-rejected", endpoint="issue", email=EMAIL))
    with pytest.raises(AirKitRejected, match="Consent rejected") as refused:
        workflow.submit(store, air.client(), utc_now, event)
    cause = json.dumps({"errorType": "AirKitRejected", "errorMessage": str(refused.value)})
    failure = {"Error": "AirKitRejected", "Cause": cause}
    workflow.record(store, utc_now, {"issuanceId": gold.issuance_id, "outcome": FAILED, "failure": failure})
    final = store.get(gold.issuance_id)
    assert final is not None
    assert final.status == FAILED
    assert final.error == "AIR Kit issue-on-behalf answered 409: Consent rejected by the user"
    assert [e["body"]["onDuplicate"] for e in issue_posts(air) if "body" in e][-1] == (
        "ignore" if in_doubt else "revoke"
    )


def test_a_throttled_submit_is_resubmitted_with_revoke(store: DynamoIssuanceStore, air: Partnership) -> None:
    from loyalty_local.standins.airkit import Fault

    gold = create(store, 6, "gold", "2026-11-23T10:00:00.000Z")
    air.sandbox.faults.append(Fault("429", endpoint="issue", email=EMAIL, times=1))
    event = {"issuanceId": gold.issuance_id, "polling": POLLING}
    with pytest.raises(AirKitUnavailable):
        workflow.submit(store, air.client(), utc_now, event)
    assert not store.get(gold.issuance_id).maybe_accepted  # type: ignore[union-attr]
    assert workflow.submit(store, air.client(), utc_now, event)["status"] == WAIT_ONCHAIN
    assert [e["body"]["onDuplicate"] for e in issue_posts(air) if "body" in e] == ["revoke"]


def test_a_lost_answer_over_an_earlier_tier_fails_rather_than_guess(
    store: DynamoIssuanceStore, air: Partnership
) -> None:
    silver = create(store, 3, "silver", "2026-11-23T10:00:00.000Z")
    assert submit(store, air, silver)["status"] == WAIT_ONCHAIN
    gold = create(store, 6, "gold", "2026-11-23T10:00:01.000Z")
    _slow_answer(air, EMAIL)
    event = {"issuanceId": gold.issuance_id, "polling": POLLING}
    with pytest.raises(AirKitUnavailable):
        workflow.submit(store, air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5), utc_now, event)
    with pytest.raises(workflow.AmbiguousDuplicate, match="check the customer's credential"):
        workflow.submit(store, air.client(), utc_now, event)
    # Nothing was issued twice: silver revoked by gold's (lost-answer) submission, gold standing.
    assert [c.subject["tier"] for c in _held(air) if c.revoked_at is None] == ["Gold Member"]
    assert len(_held(air)) == 2
