"""Portable loyalty credential, end to end: HTTP through the local gateway, the table's stream starting the
workflow, the ASL on moto's interpreter calling our task handlers, and the AIR Kit sandbox verifying our JWTs
against our own JWKS URL."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest
import requests

from loyalty_local.cloud.stack import LocalStack
from loyalty_local.cloud.stepfunctions import LocalStepFunctions
from loyalty_local.standins.airkit import (
    LOCAL_KEY_ID,
    LOCAL_PARTNER_ID,
    LOCAL_READ_TIMEOUT_SECONDS,
    AirKitSandbox,
)
from tests.support.counter import expire_pass
from tests.support.ladders import COFFEE_SHOP

pytestmark = pytest.mark.e2e

FINAL = {"ONCHAIN", "FAILED", "TIMED_OUT"}
DEADLINE_SECONDS = 15


def _addon(stack: LocalStack, kind: type[Any]) -> Any:
    return next(addon for addon in stack.addons if isinstance(addon, kind))


@pytest.fixture(scope="module")
def sandbox_url(local_stack: LocalStack) -> str:
    sandbox: AirKitSandbox = _addon(local_stack, AirKitSandbox)
    assert sandbox.server is not None
    return f"http://127.0.0.1:{sandbox.server.server_address[1]}"


@pytest.fixture(scope="module")
def step_functions(local_stack: LocalStack) -> Iterator[LocalStepFunctions]:
    """The deployed ASL with a short deadline: the same file, one substitution value changed."""
    addon: LocalStepFunctions = _addon(local_stack, LocalStepFunctions)
    addon.deploy({"DeadlineSeconds": str(DEADLINE_SECONDS)})
    yield addon
    addon.deploy()


class Shop:
    """A business with a one-stamp offer: every visit is a prize, so tiers come quickly."""

    def __init__(self, gateway: str, token: Any, sandbox_url: str) -> None:
        self.gateway = gateway
        self.sandbox = sandbox_url
        self.business_id = "biz_" + uuid.uuid4().hex[:20]
        self.owner = {"Authorization": f"Bearer {token(role='owner', business_id=self.business_id)}"}
        self.manager = {
            "Authorization": f"Bearer {token(role='manager', business_id=self.business_id, branch_id='b1')}"
        }
        created = requests.post(
            f"{gateway}/api/offers", headers=self.owner, json={"name": "Tea", "stampsRequired": 1}, timeout=30
        )
        assert created.status_code == 201, created.text
        self.offer_id = created.json()["offerId"]

    def enroll(self) -> tuple[str, str]:
        email = f"member-{uuid.uuid4().hex[:10]}@example.com"
        answer = requests.post(
            f"{self.gateway}/api/offers/{self.offer_id}/enroll",
            json={"email": email, "name": "Member"},
            timeout=30,
        )
        assert answer.status_code == 201, answer.text
        return answer.json()["customerId"], email

    def visit_and_claim(self, customer_id: str) -> dict[str, Any]:
        path = f"{customer_id}/{self.offer_id}"
        scanned = requests.post(
            f"{self.gateway}/api/branch-manager/scan/{path}", headers=self.manager, timeout=30
        )
        assert scanned.status_code == 200, scanned.text
        claimed = requests.post(
            f"{self.gateway}/api/branch-manager/confirm-prize/{path}", headers=self.manager, timeout=30
        )
        assert claimed.status_code == 200, claimed.text
        body: dict[str, Any] = claimed.json()
        return body

    def issuance(self, issuance_id: str) -> dict[str, Any]:
        answer = requests.get(
            f"{self.gateway}/api/credentials/issuances/{issuance_id}", headers=self.owner, timeout=30
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    def settled(self, issuance_id: str, within: float = 90.0) -> dict[str, Any]:
        give_up = time.monotonic() + within
        while True:
            current = self.issuance(issuance_id)
            if current["status"] in FINAL or time.monotonic() > give_up:
                return current
            time.sleep(0.5)

    def fault(self, **spec: Any) -> None:
        answer = requests.post(f"{self.sandbox}/_control/faults", json=spec, timeout=10)
        assert answer.status_code == 201, answer.text

    def received(self, email: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.sandbox}/_control/received", params={"email": email}, timeout=10)
        entries: list[dict[str, Any]] = answer.json()["received"]
        return entries

    def credentials(self, email: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.sandbox}/_control/credentials", params={"email": email}, timeout=10)
        found: list[dict[str, Any]] = answer.json()["credentials"]
        return found


@pytest.fixture
def shop(gateway: str, token: Any, sandbox_url: str, step_functions: LocalStepFunctions) -> Shop:
    return Shop(gateway, token, sandbox_url)


def _issue_posts(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["path"].endswith("/credentials/issue-on-behalf")]


def test_an_upgrade_becomes_an_onchain_credential_with_the_right_subject_and_partner_jwt(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    claimed = shop.visit_and_claim(customer_id)
    assert claimed["tierUpgrade"]["to"]["id"] == "bronze"
    started = claimed["credentialIssuance"]
    assert started["status"] == "PENDING"
    assert started["issuanceId"].startswith("iss_")

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "ONCHAIN", done
    assert done["tier"] == {"id": "bronze", "name": "Bronze Member"}
    assert done["customerId"] == customer_id
    assert done["offerId"] == shop.offer_id
    assert done["attempts"] == 1
    assert done["error"] is None
    assert done["createdAt"] <= done["updatedAt"]
    assert email not in str(done)

    (credential,) = shop.credentials(email)
    assert credential["coreClaimHash"] == done["coreClaimHash"]
    assert credential["onchain"] is True
    assert credential["revoked"] is False
    subject = credential["credentialSubject"]
    assert set(subject) == {"tier", "lifetimePoints", "memberSince", "upgradedAt"}
    assert subject["tier"] == "Bronze Member"
    assert subject["lifetimePoints"] == 1
    assert len(subject["memberSince"]) == 10
    assert subject["upgradedAt"].endswith("Z")

    (issue,) = _issue_posts(shop.received(email))
    assert issue["status"] == 200
    assert issue["body"]["onDuplicate"] == "revoke"
    assert issue["jwtHeader"] == {"alg": "RS256", "kid": LOCAL_KEY_ID, "typ": "JWT"}
    claims = issue["jwtClaims"]
    assert claims["partnerId"] == LOCAL_PARTNER_ID
    assert claims["email"] == email
    assert claims["scope"] == "issue on-behalf"
    assert 0 < claims["exp"] - claims["iat"] <= 300


def test_the_jwks_the_sandbox_verified_with_is_served_publicly_with_caching(shop: Shop) -> None:
    answer = requests.get(f"{shop.gateway}/.well-known/jwks.json", timeout=10)
    assert answer.status_code == 200
    assert "max-age" in answer.headers["Cache-Control"]
    assert "public" in answer.headers["Cache-Control"]
    (key,) = answer.json()["keys"]
    assert key["kid"] == LOCAL_KEY_ID
    assert key["use"] == "sig"
    assert key["alg"] == "RS256"
    assert "d" not in key  # never the private part
    assert jwt.PyJWK(key).key is not None


def test_two_throttled_submissions_are_retried_and_then_succeed(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="429", endpoint="issue", email=email, times=2)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "ONCHAIN", done
    assert done["attempts"] == 3
    assert [e["status"] for e in _issue_posts(shop.received(email))] == [429, 429, 200]
    assert len(shop.credentials(email)) == 1


def test_a_lost_submit_answer_leaves_exactly_one_credential_at_air_kit(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    # AIR Kit issues, then its answer takes longer than our read timeout: the submit sees no answer.
    shop.fault(
        kind="slow", endpoint="issue", email=email, times=1, delaySeconds=LOCAL_READ_TIMEOUT_SECONDS + 2
    )
    # AIR Kit answers the resubmission with the credential it holds (one of the two readings of its docs).
    shop.fault(kind="duplicate-as-200", endpoint="issue", email=email)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "ONCHAIN", done
    assert done["attempts"] == 2
    (credential,) = shop.credentials(email)
    assert not credential["revoked"]
    assert done["coreClaimHash"] == credential["coreClaimHash"]
    received = shop.received(email)
    assert [e["body"]["onDuplicate"] for e in _issue_posts(received)] == ["revoke", "ignore"]
    # ONCHAIN came from a status check after the resubmission, never from "already issued" alone.
    last_issue = max(i for i, e in enumerate(received) if e["path"].endswith("issue-on-behalf"))
    assert any(e["path"].endswith("/status") for e in received[last_issue:])


def test_a_lost_answer_then_a_bare_409_ends_failed_never_onchain(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(
        kind="slow", endpoint="issue", email=email, times=1, delaySeconds=LOCAL_READ_TIMEOUT_SECONDS + 2
    )
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]
    done = shop.settled(started["issuanceId"])
    assert done["status"] == "FAILED", done
    assert "check the customer's credential in AIR Kit" in done["error"]


def test_a_refused_consent_ends_failed_with_its_reason(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="consent-rejected", endpoint="issue", email=email)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]
    done = shop.settled(started["issuanceId"])
    assert done["status"] == "FAILED", done
    assert "Consent rejected" in done["error"]
    assert shop.credentials(email) == []


def test_throttled_status_checks_wait_on_until_the_deadline_never_failed(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="429", endpoint="status", email=email)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"], within=DEADLINE_SECONDS + 45)
    assert done["status"] == "TIMED_OUT", done
    checks = [e for e in shop.received(email) if e["path"].endswith("/status")]
    assert len(checks) >= 3
    assert {e["status"] for e in checks} == {429}


def test_repeated_server_errors_are_retried_with_backoff_until_air_kit_recovers(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="500", endpoint="issue", email=email, times=3)
    shop.fault(kind="500", endpoint="status", email=email, times=2)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "ONCHAIN", done
    assert done["attempts"] == 4
    statuses = [(e["path"].rsplit("/", 1)[-1], e["status"]) for e in shop.received(email)]
    assert statuses[:4] == [("issue-on-behalf", 500)] * 3 + [("issue-on-behalf", 200)]
    assert statuses[4:6] == [("status", 500), ("status", 500)]
    assert statuses[-1] == ("status", 200)
    submitted = [e["at"] for e in _issue_posts(shop.received(email))]
    gaps = [later - earlier for earlier, later in itertools.pairwise(submitted)]
    assert gaps[0] >= 0.9  # retried after a pause, and a growing one
    assert gaps[2] > gaps[0]


def test_a_jwt_air_kit_cannot_verify_fails_the_issuance_with_air_kits_reason(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="foreign-jwks", email=email)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "FAILED", done
    assert "401" in done["error"]
    assert "verification failed" in done["error"]
    assert email not in done["error"]
    assert done["attempts"] == 1  # a permanent refusal is not retried
    assert done["coreClaimHash"] is None
    assert shop.credentials(email) == []


def test_a_credential_that_never_reaches_the_chain_times_out(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    shop.fault(kind="never-onchain", email=email)
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]

    done = shop.settled(started["issuanceId"], within=DEADLINE_SECONDS + 45)
    assert done["status"] == "TIMED_OUT", done
    assert "deadline" in done["error"]
    assert done["coreClaimHash"] is not None
    polls = [e for e in shop.received(email) if e["path"].endswith("/status")]
    assert len(polls) >= 3
    # The waits between checks grew (1 s, 2 s, 4 s ... capped), rather than hammering AIR Kit.
    gaps = [later["at"] - earlier["at"] for earlier, later in itertools.pairwise(polls)]
    assert gaps[1] > gaps[0]  # the last wait may be cut short by the deadline
    # Terminal means terminal: the issuance stays TIMED_OUT.
    time.sleep(1)
    assert shop.issuance(started["issuanceId"])["status"] == "TIMED_OUT"


def test_bronze_silver_gold_in_quick_succession_leaves_gold_standing(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    started: dict[str, str] = {}
    for _ in range(6):
        claimed = shop.visit_and_claim(customer_id)
        if "credentialIssuance" in claimed:
            started[claimed["tierUpgrade"]["to"]["id"]] = claimed["credentialIssuance"]["issuanceId"]
    assert list(started) == ["bronze", "silver", "gold"]

    settled = {tier: shop.settled(issuance_id) for tier, issuance_id in started.items()}
    assert all(s["status"] == "ONCHAIN" for s in settled.values()), settled

    issued = shop.credentials(email)
    assert [c["credentialSubject"]["tier"] for c in issued] == [
        "Bronze Member",
        "Silver Member",
        "Gold Member",
    ]
    by_tier = {c["credentialSubject"]["tier"]: c for c in issued}
    assert by_tier["Gold Member"]["revoked"] is False
    assert by_tier["Gold Member"]["coreClaimHash"] == settled["gold"]["coreClaimHash"]
    assert by_tier["Silver Member"]["revoked"] is True
    assert by_tier["Bronze Member"]["revoked"] is True
    assert by_tier["Gold Member"]["credentialSubject"]["lifetimePoints"] == 6


def test_a_failed_workflow_start_after_a_confirmed_prize_is_recovered(
    shop: Shop, step_functions: LocalStepFunctions, local_stack: LocalStack
) -> None:
    customer_id, email = shop.enroll()
    step_functions.start_faults.failed = 0
    step_functions.start_faults.remaining = (
        5  # more than the dispatcher's SDK retries: its first delivery fails
    )
    started = shop.visit_and_claim(customer_id)["credentialIssuance"]
    assert started["status"] == "PENDING"

    done = shop.settled(started["issuanceId"])
    assert done["status"] == "ONCHAIN", done
    assert step_functions.start_faults.failed == 5
    assert len(shop.credentials(email)) == 1
    sfn = local_stack.client("stepfunctions")
    arn = step_functions.arns["CredentialIssuanceStateMachine"]
    runs = [
        e for e in sfn.list_executions(stateMachineArn=arn)["executions"] if e["name"] == done["issuanceId"]
    ]
    assert len(runs) == 1


def test_an_owner_reissues_the_current_tier_and_the_previous_credential_is_revoked(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    first = shop.settled(shop.visit_and_claim(customer_id)["credentialIssuance"]["issuanceId"])
    assert first["status"] == "ONCHAIN"

    answer = requests.post(
        f"{shop.gateway}/api/credentials/issue",
        headers=shop.owner,
        json={"customerId": customer_id, "offerId": shop.offer_id},
        timeout=30,
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    assert body["status"] == "PENDING"
    assert body["issuanceId"] != first["issuanceId"]

    again = shop.settled(body["issuanceId"])
    assert again["status"] == "ONCHAIN", again
    assert again["tier"] == first["tier"]
    old, new = shop.credentials(email)
    assert old["revoked"] is True
    assert new["revoked"] is False
    assert new["credentialSubject"]["upgradedAt"] == old["credentialSubject"]["upgradedAt"]


def test_issue_answers_no_tier_unknown_pass_and_keeps_businesses_apart(shop: Shop, token: Any) -> None:
    customer_id, _ = shop.enroll()
    issue = f"{shop.gateway}/api/credentials/issue"
    no_tier = requests.post(
        issue, headers=shop.owner, json={"customerId": customer_id, "offerId": shop.offer_id}, timeout=30
    )
    assert no_tier.status_code == 409
    assert no_tier.json()["error"]["code"] == "NO_TIER"

    unknown = requests.post(
        issue,
        headers=shop.owner,
        json={"customerId": "cus_" + "z" * 26, "offerId": shop.offer_id},
        timeout=30,
    )
    assert unknown.status_code == 404

    as_manager = requests.post(
        issue, headers=shop.manager, json={"customerId": customer_id, "offerId": shop.offer_id}, timeout=30
    )
    assert as_manager.status_code == 403

    invalid = requests.post(issue, headers=shop.owner, json={"customerId": customer_id}, timeout=30)
    assert invalid.status_code == 422

    started = shop.visit_and_claim(customer_id)["credentialIssuance"]["issuanceId"]
    stranger = {"Authorization": f"Bearer {token(role='owner', business_id='biz_' + uuid.uuid4().hex[:20])}"}
    other = requests.get(f"{shop.gateway}/api/credentials/issuances/{started}", headers=stranger, timeout=30)
    assert other.status_code == 404
    not_there = requests.get(
        f"{shop.gateway}/api/credentials/issuances/iss_{'q' * 26}", headers=shop.owner, timeout=30
    )
    assert not_there.status_code == 404
    assert not_there.json()["error"]["code"] == "ISSUANCE_NOT_FOUND"
    assert shop.settled(started)["status"] == "ONCHAIN"


def test_two_owners_reissuing_at_once_start_one_issuance(shop: Shop) -> None:
    customer_id, email = shop.enroll()
    first = shop.settled(shop.visit_and_claim(customer_id)["credentialIssuance"]["issuanceId"])
    assert first["status"] == "ONCHAIN"

    def reissue(_: int) -> requests.Response:
        return requests.post(
            f"{shop.gateway}/api/credentials/issue",
            headers=shop.owner,
            json={"customerId": customer_id, "offerId": shop.offer_id},
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(reissue, range(2)))
    assert [a.status_code for a in answers] == [202, 202]
    ids = {a.json()["issuanceId"] for a in answers}
    assert len(ids) == 1
    assert shop.settled(ids.pop())["status"] == "ONCHAIN"
    assert len(shop.credentials(email)) == 2  # the upgrade's, and one re-issue


def test_issuing_on_an_expired_pass_is_410_and_starts_nothing(shop: Shop, local_stack: LocalStack) -> None:
    customer_id, email = shop.enroll()
    upgrade = shop.visit_and_claim(customer_id)["credentialIssuance"]["issuanceId"]
    assert shop.settled(upgrade)["status"] == "ONCHAIN"
    expire_pass(local_stack, customer_id, shop.offer_id)
    before = len(shop.received(email))

    refused = requests.post(
        f"{shop.gateway}/api/credentials/issue",
        headers=shop.owner,
        json={"customerId": customer_id, "offerId": shop.offer_id},
        timeout=30,
    )

    assert refused.status_code == 410, refused.text
    assert refused.json()["error"]["code"] == "PASS_EXPIRED"
    time.sleep(2)  # what a wrongly started workflow would have sent by now
    assert len(shop.received(email)) == before


def test_a_ladder_that_moves_a_customer_down_keeps_the_credential_until_the_next_crossing(shop: Shop) -> None:
    """Decided (docs/decisions/0009-ladder-down.md): the pass shows the tier the ladder in force gives; a credential is
    a record of what was earned when it was issued and is neither revoked nor re-issued lower by a ladder
    change; the next crossing under the new ladder issues the new tier's credential, which replaces it."""
    customer_id, email = shop.enroll()
    for _ in range(3):
        claimed = shop.visit_and_claim(customer_id)
    assert claimed["tier"]["currentTier"]["id"] == "silver"
    assert shop.settled(claimed["credentialIssuance"]["issuanceId"])["status"] == "ONCHAIN"

    put = requests.put(
        f"{shop.gateway}/api/offers/{shop.offer_id}/loyalty-tiers",
        headers=shop.owner,
        json=COFFEE_SHOP,
        timeout=30,
    )
    assert put.status_code == 200, put.text
    status = requests.get(
        f"{shop.gateway}/api/branch-manager/passes/{customer_id}/{shop.offer_id}",
        headers=shop.manager,
        timeout=30,
    ).json()
    assert status["tier"]["currentTier"]["id"] == "coffee-lover", (
        "moved down: 3 rewards is the first tier now"
    )

    time.sleep(2)  # what a ladder change would have started by now
    issued = shop.credentials(email)
    assert [(c["credentialSubject"]["tier"], c["revoked"]) for c in issued] == [
        ("Bronze Member", True),
        ("Silver Member", False),
    ]

    crossing = shop.visit_and_claim(customer_id)
    assert crossing["tierUpgrade"]["to"]["id"] == "coffee-expert"
    assert shop.settled(crossing["credentialIssuance"]["issuanceId"])["status"] == "ONCHAIN"
    standing = [c["credentialSubject"]["tier"] for c in shop.credentials(email) if not c["revoked"]]
    assert standing == ["Coffee Expert"]
