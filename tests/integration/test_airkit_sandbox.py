"""Our AIR Kit client against the local sandbox, which verifies our JWTs with the JWKS served over HTTP."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from loyalty.adapters.airkit.client import AirKitRejected, AirKitUnavailable
from loyalty.app.ports.credentials import Accepted, AlreadyIssued
from loyalty_local.standins.airkit import LOCAL_CREDENTIAL_ID, LOCAL_ISSUER_DID, LOCAL_PARTNER_ID
from tests.support.airkit_partnership import KID, Partnership, partnership

pytestmark = pytest.mark.integration

SUBJECT = {
    "tier": "Silver Member",
    "lifetimePoints": 15,
    "memberSince": "2026-02-03",
    "upgradedAt": "2026-11-23T10:00:00.000Z",
}


@pytest.fixture
def air() -> Iterator[Partnership]:
    with partnership() as running:
        yield running


def test_issue_then_poll_until_on_chain(air: Partnership) -> None:
    client = air.client()
    accepted = client.issue_on_behalf("jane@example.com", SUBJECT)
    assert isinstance(accepted, Accepted)
    first = client.credential_status(accepted.core_claim_hash, "jane@example.com")
    assert first.vc_status == "WAIT_ONCHAIN"
    second = client.credential_status(accepted.core_claim_hash, None)  # one public client omits the email
    assert second.on_chain
    assert second.vc_id


def test_revoke_replaces_and_ignore_reports_already_issued_per_email_and_program(air: Partnership) -> None:
    client = air.client()
    first = client.issue_on_behalf("jane@example.com", SUBJECT)
    second = client.issue_on_behalf("jane@example.com", {**SUBJECT, "tier": "Gold Member"})
    assert isinstance(first, Accepted)
    assert isinstance(second, Accepted)
    held = {c.core_claim_hash: c for c in air.sandbox.credentials.values()}
    assert held[first.core_claim_hash].revoked_at is not None
    assert held[second.core_claim_hash].revoked_at is None

    assert isinstance(
        client.issue_on_behalf("jane@example.com", SUBJECT, on_duplicate="ignore"), AlreadyIssued
    )
    assert isinstance(client.issue_on_behalf("john@example.com", SUBJECT, on_duplicate="ignore"), Accepted)


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ({**SUBJECT, "favouriteDrink": "tea"}, "Unknown credentialSubject field"),
        ({**SUBJECT, "lifetimePoints": 15.5}, "lifetimePoints must be int"),
        ({**SUBJECT, "lifetimePoints": True}, "lifetimePoints must be int"),
        ({k: v for k, v in SUBJECT.items() if k != "tier"}, "Missing credentialSubject fields: tier"),
        ({**SUBJECT, "memberSince": "03/02/2026"}, "ISO date"),
    ],
)
def test_a_subject_outside_the_schema_is_refused(
    air: Partnership, subject: dict[str, Any], message: str
) -> None:
    with pytest.raises(AirKitRejected, match=message) as refused:
        air.client().issue_on_behalf("jane@example.com", subject)
    assert refused.value.status == 400


def test_an_unknown_issuer_or_program_is_not_found(air: Partnership) -> None:
    with pytest.raises(AirKitRejected, match="Issuer not found"):
        air.client(AIRKIT_ISSUER_DID="did:air:id:test:nobody").issue_on_behalf("jane@example.com", SUBJECT)
    with pytest.raises(AirKitRejected, match="program not found"):
        air.client(AIRKIT_CREDENTIAL_ID="nope").issue_on_behalf("jane@example.com", SUBJECT)


def test_an_unknown_hash_is_not_found(air: Partnership) -> None:
    with pytest.raises(AirKitRejected, match="No credential found for the given hash") as refused:
        air.client().credential_status("0xdeadbeef", "jane@example.com")
    assert refused.value.status == 404


def test_a_wrong_partner_id_or_scope_is_refused(air: Partnership) -> None:
    with pytest.raises(AirKitRejected, match="401: Unknown partnerId"):
        air.client(AIRKIT_PARTNER_ID="someone-else").issue_on_behalf("jane@example.com", SUBJECT)
    with pytest.raises(AirKitRejected, match="403"):
        air.client(AIRKIT_SCOPE="read").issue_on_behalf("jane@example.com", SUBJECT)


def _raw_issue(air: Partnership, token: str) -> requests.Response:
    return requests.post(
        f"{air.sandbox.base_url}/credentials/issue-on-behalf",
        headers={"x-partner-auth": token},
        json={
            "issuerDid": LOCAL_ISSUER_DID,
            "credentialId": LOCAL_CREDENTIAL_ID,
            "credentialSubject": SUBJECT,
        },
        timeout=10,
    )


@pytest.mark.parametrize(
    ("headers", "claims", "message"),
    [
        ({"kid": KID, "typ": "JOSE"}, {}, "typ JWT"),
        ({"typ": "JWT"}, {}, "kid"),
        ({"kid": "unknown-kid", "typ": "JWT"}, {}, "No key with kid"),
        ({"kid": KID, "typ": "JWT"}, {"exp": -10}, "expired"),
        ({"kid": KID, "typ": "JWT"}, {"exp": 3600}, "15 minutes"),
        ({"kid": KID, "typ": "JWT"}, {"email": None}, "recipient's email"),
    ],
)
def test_the_sandbox_checks_the_partner_jwt_as_air_kit_does(
    air: Partnership, headers: dict[str, str], claims: dict[str, Any], message: str
) -> None:
    now = int(time.time())
    payload: dict[str, Any] = {
        "partnerId": LOCAL_PARTNER_ID,
        "scope": "issue on-behalf",
        "email": "jane@example.com",
        "iat": now,
        "exp": now + 300,
    }
    for name, value in claims.items():
        if value is None:
            payload.pop(name)
        else:
            payload[name] = now + value
    token = jwt.encode(payload, air.keyring.signing_key(KID).private_key, algorithm="RS256", headers=headers)
    answer = _raw_issue(air, token)
    assert answer.status_code == 401
    assert message in answer.json()["message"]
    assert answer.json()["error"] == 401


def test_the_sdk_flows_scope_is_refused_for_issue_on_behalf(air: Partnership) -> None:
    with pytest.raises(AirKitRejected, match="403: Scope does not allow issue on behalf"):
        air.client(AIRKIT_SCOPE="issue").issue_on_behalf("jane@example.com", SUBJECT)
    assert isinstance(air.client().issue_on_behalf("jane@example.com", SUBJECT), Accepted)


def test_a_slow_answer_comes_after_the_credential_was_issued(air: Partnership) -> None:
    """What a client sees as a lost answer: the read timeout fires, and AIR Kit holds the credential anyway."""
    air.sandbox.faults.clear()
    requests.post(
        f"{air.sandbox.base_url.removesuffix('/v1')}/_control/faults",
        json={
            "kind": "slow",
            "endpoint": "issue",
            "email": "lost@example.com",
            "times": 1,
            "delaySeconds": 1.5,
        },
        timeout=5,
    ).raise_for_status()
    with pytest.raises(AirKitUnavailable) as lost:
        air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5).issue_on_behalf("lost@example.com", SUBJECT)
    assert lost.value.maybe_accepted
    held = [c for c in air.sandbox.credentials.values() if c.email == "lost@example.com"]
    assert len(held) == 1
    assert held[0].revoked_at is None


def test_a_token_signed_by_another_key_fails_verification(air: Partnership) -> None:
    with partnership() as stranger:
        impostor = stranger.client(AIRKIT_BASE_URL=air.sandbox.base_url)
        with pytest.raises(AirKitRejected, match="401: Partner JWT verification failed"):
            impostor.issue_on_behalf("jane@example.com", SUBJECT)


def test_faults_are_transient_for_the_client(air: Partnership) -> None:
    air.sandbox.faults.clear()
    client = air.client(AIRKIT_READ_TIMEOUT_SECONDS=0.5)
    requests.post(
        f"{air.sandbox.base_url.removesuffix('/v1')}/_control/faults",
        json={"kind": "slow", "endpoint": "issue", "times": 1, "delaySeconds": 1.5},
        timeout=5,
    ).raise_for_status()
    with pytest.raises(AirKitUnavailable, match="gave no answer: ReadTimeout"):
        client.issue_on_behalf("jane@example.com", SUBJECT)
    for kind in ("429", "500"):
        requests.post(
            f"{air.sandbox.base_url.removesuffix('/v1')}/_control/faults",
            json={"kind": kind, "endpoint": "issue", "email": "jane@example.com", "times": 1},
            timeout=5,
        ).raise_for_status()
        with pytest.raises(AirKitUnavailable, match=kind):
            client.issue_on_behalf("jane@example.com", SUBJECT)
    assert isinstance(client.issue_on_behalf("jane@example.com", SUBJECT), Accepted)


def test_a_credential_held_back_never_reaches_the_chain(air: Partnership) -> None:
    client = air.client()
    accepted = client.issue_on_behalf("slow@example.com", SUBJECT)
    assert isinstance(accepted, Accepted)
    air.sandbox.faults.append(
        __import__("loyalty_local.standins.airkit", fromlist=["Fault"]).Fault(
            "never-onchain", email="slow@example.com"
        )
    )
    for _ in range(5):
        assert client.credential_status(accepted.core_claim_hash, None).vc_status == "WAIT_ONCHAIN"


def test_the_chain_delay_is_configurable_through_the_control_api(air: Partnership) -> None:
    control = air.sandbox.base_url.removesuffix("/v1")
    answer = requests.post(
        f"{control}/_control/settings", json={"onchainAfterPolls": 1, "onchainAfterSeconds": 1.0}, timeout=5
    )
    assert answer.json() == {"onchainAfterPolls": 1, "onchainAfterSeconds": 1.0}
    client = air.client()
    accepted = client.issue_on_behalf("jane@example.com", SUBJECT)
    assert isinstance(accepted, Accepted)
    assert client.credential_status(accepted.core_claim_hash, None).vc_status == "WAIT_ONCHAIN"
    time.sleep(1.1)
    assert client.credential_status(accepted.core_claim_hash, None).on_chain
    held = requests.get(
        f"{control}/_control/credentials", params={"email": "jane@example.com"}, timeout=5
    ).json()
    assert [c["onchain"] for c in held["credentials"]] == [True]
    assert requests.post(f"{control}/_control/reset", timeout=5).json() == {"reset": True}
    assert requests.get(f"{control}/_control/credentials", timeout=5).json() == {"credentials": []}
