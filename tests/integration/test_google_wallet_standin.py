"""The Google Wallet stand-in refuses what Google refuses, so tests passing against it mean something."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests

from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.support.google_service_account import TEST_ISSUER_ID, throwaway_account

pytestmark = pytest.mark.integration

SCOPE = "https://www.googleapis.com/auth/wallet_object.issuer"
GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
CLASS_ID = f"{TEST_ISSUER_ID}.off_standin"


def assertion(standin: GoogleWalletStandin, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": throwaway_account()["client_email"],
        "scope": SCOPE,
        "aud": standin.token_url,
        "iat": now,
        "exp": now + 3600,
        **overrides,
    }
    return jwt.encode(claims, throwaway_account()["private_key"], algorithm="RS256")


def grant(standin: GoogleWalletStandin, signed: str) -> requests.Response:
    return requests.post(standin.token_url, data={"grant_type": GRANT, "assertion": signed}, timeout=5)


@pytest.fixture
def api(standin: GoogleWalletStandin) -> requests.Session:
    session = requests.Session()
    answer = grant(standin, assertion(standin))
    assert answer.status_code == 200
    session.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"
    return session


def a_class(class_id: str = CLASS_ID, **changes: Any) -> dict[str, Any]:
    return {
        "id": class_id,
        "issuerName": "Café",
        "programName": "Coffee",
        "programLogo": {"sourceUri": {"uri": "https://assets.example.com/logo.png"}},
        "reviewStatus": "underReview",
        **changes,
    }


def an_object(object_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": object_id,
        "classId": CLASS_ID,
        "state": "ACTIVE",
        "textModulesData": [{"id": "progress", "header": "Progress", "body": "1 of 5"}],
        "barcode": {"type": "QR_CODE", "value": "loyalty:v1:x:y"},
        **changes,
    }


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"aud": "https://oauth2.googleapis.com/token"}, "invalid_grant"),
        ({"exp": int(time.time()) + 7200}, "invalid_grant"),
        ({"exp": int(time.time()) - 10, "iat": int(time.time()) - 100}, "invalid_grant"),
        ({"scope": "https://www.googleapis.com/auth/cloud-platform"}, "invalid_scope"),
    ],
)
def test_token_endpoint_refuses_bad_assertions(standin: GoogleWalletStandin, overrides, error) -> None:
    answer = grant(standin, assertion(standin, **overrides))
    assert answer.status_code == 400
    assert answer.json()["error"] == error


def test_token_endpoint_refuses_other_grant_types(standin: GoogleWalletStandin) -> None:
    answer = requests.post(standin.token_url, data={"grant_type": "client_credentials"}, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


def test_resource_ids_must_be_of_this_issuer_and_well_formed(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    assert (
        api.post(f"{base}/loyaltyClass", json=a_class(f"{TEST_ISSUER_ID}.bad id"), timeout=5).status_code
        == 400
    )
    assert api.post(f"{base}/loyaltyClass", json=a_class("1234.off_other"), timeout=5).status_code == 403


def test_a_class_needs_its_logo_and_a_review_status(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    assert api.post(f"{base}/loyaltyClass", json=a_class(programLogo=None), timeout=5).status_code == 400
    assert api.post(f"{base}/loyaltyClass", json=a_class(reviewStatus="live"), timeout=5).status_code == 400
    assert api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5).status_code == 200
    assert api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5).status_code == 409


def test_an_object_needs_its_class_and_module_ids_without_dots(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    object_id = f"{TEST_ISSUER_ID}.cus_x-off_standin"
    assert api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5).status_code == 404
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    dotted = an_object(object_id, textModulesData=[{"id": "member.status", "header": "h", "body": "b"}])
    assert api.post(f"{base}/loyaltyObject", json=dotted, timeout=5).status_code == 400
    assert (
        api.post(f"{base}/loyaltyObject", json=an_object(object_id, state="GONE"), timeout=5).status_code
        == 400
    )
    assert api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5).status_code == 200


def test_patch_changes_only_what_it_names(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    object_id = f"{TEST_ISSUER_ID}.cus_y-off_standin"
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5)
    assert api.patch(f"{base}/loyaltyObject/{TEST_ISSUER_ID}.missing", json={}, timeout=5).status_code == 404
    answer = api.patch(f"{base}/loyaltyObject/{object_id}", json={"state": "EXPIRED"}, timeout=5)
    assert answer.status_code == 200
    stored = standin.wallet_object(object_id)
    assert stored["state"] == "EXPIRED"
    assert stored["barcode"]["value"] == "loyalty:v1:x:y"


def test_no_more_than_three_notifications_a_day_reach_the_phone(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    object_id = f"{TEST_ISSUER_ID}.cus_z-off_standin"
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5)
    for points in range(1, 6):
        api.patch(
            f"{base}/loyaltyObject/{object_id}",
            json={"loyaltyPoints": {"balance": {"int": points}}, "notifyPreference": "NOTIFY_ON_UPDATE"},
            timeout=5,
        )
    assert len(standin.notifications(object_id)) == 3


def test_only_a_change_to_a_field_google_notifies_on_notifies(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    object_id = f"{TEST_ISSUER_ID}.cus_n-off_standin"
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5)
    quiet = {"state": "EXPIRED", "textModulesData": [{"id": "progress", "header": "P", "body": "-"}]}
    api.patch(
        f"{base}/loyaltyObject/{object_id}", json={**quiet, "notifyPreference": "NOTIFY_ON_UPDATE"}, timeout=5
    )
    assert standin.notifications(object_id) == []
    # A field no published list of notifying fields names notifies nobody.
    tier = {"secondaryLoyaltyPoints": {"label": "Tier", "balance": {"string": "Gold"}}}
    api.patch(
        f"{base}/loyaltyObject/{object_id}", json={**tier, "notifyPreference": "NOTIFY_ON_UPDATE"}, timeout=5
    )
    assert standin.notifications(object_id) == []
    points = {"loyaltyPoints": {"label": "Rewards", "balance": {"int": 9}}}
    api.patch(
        f"{base}/loyaltyObject/{object_id}",
        json={**points, "notifyPreference": "NOTIFY_ON_UPDATE"},
        timeout=5,
    )
    assert len(standin.notifications(object_id)) == 1


def test_google_approves_a_class_and_an_update_must_say_under_review(
    standin: GoogleWalletStandin, api
) -> None:
    base = standin.api_base_url
    assert api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5).status_code == 200
    assert standin.wallet_class(CLASS_ID)["reviewStatus"] == "APPROVED"
    bare = api.patch(f"{base}/loyaltyClass/{CLASS_ID}", json={"programName": "Tea"}, timeout=5)
    assert bare.status_code == 400
    assert "underReview" in bare.json()["error"]["message"]
    assert standin.wallet_class(CLASS_ID)["programName"] == "Coffee"
    kept = {"programName": "Tea", "reviewStatus": "underReview"}
    assert api.patch(f"{base}/loyaltyClass/{CLASS_ID}", json=kept, timeout=5).status_code == 200
    assert standin.wallet_class(CLASS_ID)["programName"] == "Tea"


def test_a_notifying_message_counts_toward_the_three_a_day(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    object_id = f"{TEST_ISSUER_ID}.cus_m-off_standin"
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    api.post(f"{base}/loyaltyObject", json=an_object(object_id), timeout=5)
    url = f"{base}/loyaltyObject/{object_id}/addMessage"

    def message(number: int, kind: str = "TEXT_AND_NOTIFY") -> dict[str, Any]:
        return {
            "message": {"id": f"m{number}", "header": "Café", "body": f"news {number}", "messageType": kind}
        }

    assert api.post(url, json=message(0, "TEXT"), timeout=5).status_code == 200
    assert standin.notifications(object_id) == []
    assert [api.post(url, json=message(n), timeout=5).status_code for n in (1, 2, 3, 4)] == [
        200,
        200,
        200,
        429,
    ]
    assert len(standin.notifications(object_id)) == 3
    assert api.post(url, json={"message": {"id": "x", "colour": "red"}}, timeout=5).status_code == 400


@pytest.mark.parametrize(
    ("collection", "body", "complaint"),
    [
        ("loyaltyClass", a_class(favouriteColour="red"), "favouriteColour: unknown field"),
        ("loyaltyClass", a_class(reviewStatus="approved"), "cannot be set"),
        ("loyaltyClass", a_class(issuerName=42), "issuerName: expected a string"),
        ("loyaltyObject", an_object(f"{TEST_ISSUER_ID}.o1", state="LOST"), "'LOST' is not one of"),
        (
            "loyaltyObject",
            an_object(f"{TEST_ISSUER_ID}.o2", loyaltyPoints={"balance": {"int": "3"}}),
            "expected an integer",
        ),
        (
            "loyaltyObject",
            an_object(f"{TEST_ISSUER_ID}.o3", textModulesData=[{"id": "a b"}]),
            "is not [A-Za-z0-9_-]",
        ),
        (
            "loyaltyObject",
            an_object(f"{TEST_ISSUER_ID}.o4", barcode={"type": "QR_CODE", "colour": "x"}),
            "colour: unknown field",
        ),
    ],
)
def test_refuses_what_the_discovery_document_refuses(
    standin: GoogleWalletStandin, api, collection: str, body: dict[str, Any], complaint: str
) -> None:
    base = standin.api_base_url
    api.post(f"{base}/loyaltyClass", json=a_class(), timeout=5)
    answer = api.post(f"{base}/{collection}", json=body, timeout=5)
    assert answer.status_code == 400, answer.text
    assert complaint in answer.json()["error"]["message"]


def test_a_draft_class_holds_no_objects(standin: GoogleWalletStandin, api) -> None:
    base = standin.api_base_url
    draft = f"{TEST_ISSUER_ID}.draft_offer"
    assert (
        api.post(f"{base}/loyaltyClass", json=a_class(draft, reviewStatus="draft"), timeout=5).status_code
        == 200
    )
    answer = api.post(
        f"{base}/loyaltyObject", json=an_object(f"{TEST_ISSUER_ID}.o5", classId=draft), timeout=5
    )
    assert answer.status_code == 400
    assert "draft" in answer.json()["error"]["message"]


def test_requests_and_faults_are_reachable_over_http(standin: GoogleWalletStandin, api) -> None:
    fault = {"method": "POST", "pathContains": "/loyaltyClass", "status": 500, "times": 1}
    assert requests.post(f"{standin.url}/_standin/faults", json=fault, timeout=5).status_code == 204
    assert api.post(f"{standin.api_base_url}/loyaltyClass", json=a_class(), timeout=5).status_code == 500
    assert api.post(f"{standin.api_base_url}/loyaltyClass", json=a_class(), timeout=5).status_code == 200
    recorded = requests.get(f"{standin.url}/_standin/requests", timeout=5).json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in recorded][-2:] == [
        ("POST", "/walletobjects/v1/loyaltyClass", 500),
        ("POST", "/walletobjects/v1/loyaltyClass", 200),
    ]
