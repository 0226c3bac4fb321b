"""How the AIR Kit client reads each answer: transient, permanent, already issued, accepted."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from loyalty.adapters.airkit.client import (
    AirKitClient,
    AirKitRejected,
    AirKitUnavailable,
)
from loyalty.adapters.airkit.partner_keys import keyring_from_secret
from loyalty.adapters.http import new_client
from loyalty.app.ports.credentials import Accepted, AlreadyIssued
from loyalty.settings import AirKitSettings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SUBJECT = {"tier": "Gold Member", "lifetimePoints": 40, "memberSince": "2025-01-02", "upgradedAt": "x"}

_pem = (
    rsa.generate_private_key(public_exponent=65537, key_size=2048)
    .private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    .decode()
)
KEYRING = keyring_from_secret(json.dumps({"keys": [{"kid": "k1", "privateKeyPem": _pem}]}))


def settings() -> AirKitSettings:
    return AirKitSettings(
        AIRKIT_PARTNER_ID="partner-1",
        AIRKIT_KEY_ID="k1",
        AIRKIT_ISSUER_DID="did:air:id:test:issuer",
        AIRKIT_CREDENTIAL_ID="program-1",
        AIRKIT_BASE_URL="https://air.example/v1/",
        AIRKIT_PARTNER_KEY_SECRET_ID="loyalty/airkit",
        AIRKIT_CONNECT_TIMEOUT_SECONDS=1.5,
        AIRKIT_READ_TIMEOUT_SECONDS=4,
    )


class ScriptedSession:
    """Answers from a script through httpx's mock transport, remembering what was asked (no network)."""

    def __init__(self, *answers: tuple[int, Any] | Exception) -> None:
        self.answers = list(answers)
        self.calls: list[dict[str, Any]] = []
        self.http = new_client(connect_seconds=1, read_seconds=1, transport=httpx.MockTransport(self._answer))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append(
            {
                "method": request.method,
                "url": str(request.url.copy_with(query=None)),
                "params": dict(request.url.params),
                "headers": request.headers,
                "timeout": request.extensions.get("timeout"),
                "json": body,
            }
        )
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        status, payload = answer
        return httpx.Response(status, text=payload if isinstance(payload, str) else json.dumps(payload))


def client(session: ScriptedSession) -> AirKitClient:
    return AirKitClient(session.http, settings(), lambda: KEYRING, lambda: NOW)


def test_an_accepted_issue_sends_the_documented_request() -> None:
    session = ScriptedSession(
        (200, {"coreClaimHash": "0xabc", "credentialId": "program-1", "userUuid": "u-1"})
    )
    result = client(session).issue_on_behalf("jane@example.com", SUBJECT)
    assert result == Accepted("0xabc", "u-1")
    (call,) = session.calls
    assert call["method"] == "POST"
    assert call["url"] == "https://air.example/v1/credentials/issue-on-behalf"
    assert call["timeout"] == {"connect": 1.5, "read": 4.0, "write": 4.0, "pool": 4.0}
    assert call["headers"]["user-agent"].startswith("loyalty-platform/")
    assert call["json"] == {
        "issuerDid": "did:air:id:test:issuer",
        "credentialId": "program-1",
        "credentialSubject": SUBJECT,
        "onDuplicate": "revoke",
    }
    assert call["headers"]["x-partner-auth"].count(".") == 2


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_transient(status: int) -> None:
    session = ScriptedSession((status, {"error": status, "message": "slow down"}))
    with pytest.raises(AirKitUnavailable, match=f"answered {status}: slow down"):
        client(session).issue_on_behalf("jane@example.com", SUBJECT)


@pytest.mark.parametrize(
    ("failure", "maybe_accepted"),
    [
        (httpx.ConnectTimeout("x"), False),
        (httpx.ConnectError("x"), False),
        (httpx.ReadTimeout("x"), True),
        (httpx.RemoteProtocolError("x"), True),
    ],
)
def test_timeouts_and_unreachable_are_transient(failure: Exception, maybe_accepted: bool) -> None:
    with pytest.raises(AirKitUnavailable) as unavailable:
        client(ScriptedSession(failure)).issue_on_behalf("jane@example.com", SUBJECT)
    assert unavailable.value.maybe_accepted is maybe_accepted


@pytest.mark.parametrize(("status", "maybe_accepted"), [(429, False), (408, False), (500, True), (504, True)])
def test_only_a_server_error_may_hide_an_issuance(status: int, maybe_accepted: bool) -> None:
    session = ScriptedSession((status, {"error": status, "message": "busy"}))
    with pytest.raises(AirKitUnavailable) as unavailable:
        client(session).issue_on_behalf("jane@example.com", SUBJECT)
    assert unavailable.value.maybe_accepted is maybe_accepted


def test_the_partner_jwt_scope_defaults_to_issue_on_behalf() -> None:
    session = ScriptedSession((200, {"coreClaimHash": "0xabc", "userUuid": "u-1"}))
    client(session).issue_on_behalf("jane@example.com", SUBJECT)
    token = session.calls[0]["headers"]["x-partner-auth"]
    assert jwt.decode(token, options={"verify_signature": False})["scope"] == "issue on-behalf"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "Unknown credentialSubject field: favouriteDrink"),
        (401, "Partner JWT verification failed"),
        (403, "issueOnBehalf is not allowed"),
        (404, "Issuer not found"),
    ],
)
def test_refusals_are_permanent_and_keep_air_kits_message(status: int, message: str) -> None:
    session = ScriptedSession((status, {"error": status, "message": message}))
    with pytest.raises(AirKitRejected) as refused:
        client(session).issue_on_behalf("jane@example.com", SUBJECT)
    assert refused.value.status == status
    assert message in str(refused.value)


def test_an_email_in_air_kits_message_is_masked() -> None:
    session = ScriptedSession((400, {"error": 400, "message": "user jane.doe@example.com has no consent"}))
    with pytest.raises(AirKitRejected) as refused:
        client(session).issue_on_behalf("jane.doe@example.com", SUBJECT)
    assert "jane.doe@example.com" not in str(refused.value)


def test_a_duplicate_under_ignore_means_already_issued() -> None:
    session = ScriptedSession((409, {"error": 409, "message": "Credential already issued"}))
    result = client(session).issue_on_behalf("jane@example.com", SUBJECT, on_duplicate="ignore")
    assert result == AlreadyIssued(None, "Credential already issued")
    assert session.calls[0]["json"]["onDuplicate"] == "ignore"


def test_a_conflict_under_revoke_is_a_refusal() -> None:
    session = ScriptedSession((409, {"error": 409, "message": "consent rejected"}))
    with pytest.raises(AirKitRejected, match="consent rejected"):
        client(session).issue_on_behalf("jane@example.com", SUBJECT)


@pytest.mark.parametrize(
    "message",
    ["Consent rejected by the user", "User declined the credential", "Conflict", "consent already rejected"],
)
def test_a_conflict_under_ignore_that_is_not_a_duplicate_is_a_refusal(message: str) -> None:
    session = ScriptedSession((409, {"error": 409, "message": message}))
    with pytest.raises(AirKitRejected, match=message):
        client(session).issue_on_behalf("jane@example.com", SUBJECT, on_duplicate="ignore")


def test_a_duplicate_that_names_its_credential_keeps_the_hash() -> None:
    session = ScriptedSession(
        (409, {"error": 409, "message": "Duplicate credential", "coreClaimHash": "abc1"})
    )
    result = client(session).issue_on_behalf("jane@example.com", SUBJECT, on_duplicate="ignore")
    assert result == AlreadyIssued("abc1", "Duplicate credential")


def test_status_reads_air_kits_non_iso_dates() -> None:
    session = ScriptedSession(
        (
            200,
            {
                "coreClaimHash": "0xabc",
                "vcStatus": "ONCHAIN",
                "vcId": "vc-1",
                "issuanceDate": "2026-01-19 07:18:45",
                "expirationDate": "2027-01-19 07:18:45",
            },
        )
    )
    status = client(session).credential_status("0xabc", None)
    assert status.on_chain
    assert status.vc_id == "vc-1"
    (call,) = session.calls
    assert call["params"] == {"coreClaimHash": "0xabc"}


def test_an_unknown_hash_is_permanent() -> None:
    session = ScriptedSession((404, {"error": 404, "message": "No credential found for the given hash."}))
    with pytest.raises(AirKitRejected, match="No credential found"):
        client(session).credential_status("0xnope", "jane@example.com")
