"""A business signs itself up and staffs itself, through Cognito (moto's, behind the stack's front) and the HTTP
API: the owner signs up, creates the business, adds a branch, invites a manager who accepts and scans there; the
owner moves and removes people; every refusal of the contract on the way, and nothing half-made."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
import requests
from botocore.exceptions import ClientError

from tests.support.accounts import Account, accept_invitation, new_email, sign_up
from tests.support.counter import enroll
from tests.support.eventually import eventually

pytestmark = pytest.mark.e2e

BUSINESS = {"name": "Bean There", "nameAr": "كنا هنا", "timezone": "Asia/Riyadh", "defaultLanguage": "ar"}


@pytest.fixture(scope="module")
def client_id(local_stack: Any) -> str:
    return str(local_stack.cognito.pool.client_id)


def owner_with_business(gateway: str, client_id: str) -> tuple[Account, dict[str, Any]]:
    owner = sign_up(gateway, client_id)
    created = owner.call("POST", "/api/businesses", json=BUSINESS)
    assert created.status_code == 201, created.text
    owner.refresh()
    return owner, created.json()


def add_branch(owner: Account, name: str = "Olaya") -> str:
    added = owner.call(
        "POST", "/api/branches", json={"name": name, "nameAr": "العليا", "address": "Olaya St"}
    )
    assert added.status_code == 201, added.text
    return str(added.json()["branchId"])


def by_branch_names(owner: Account, offer_id: str) -> dict[str, int]:
    """The stats' stamps by branch name, once the ledger has counted them (a few seconds at most)."""
    deadline = time.monotonic() + 20
    while True:
        today = datetime.now(UTC).date()
        span = {
            "from": (today - timedelta(days=1)).isoformat(),
            "to": (today + timedelta(days=1)).isoformat(),
        }
        stats = owner.call("GET", f"/api/offers/{offer_id}/stats", params=span)
        assert stats.status_code == 200, stats.text
        counted = {b["branchName"]: b["stamps"] for b in stats.json()["byBranch"]}
        if counted or time.monotonic() > deadline:
            return counted
        time.sleep(0.5)


def test_a_new_owner_creates_their_business_and_becomes_its_owner(gateway: str, client_id: str) -> None:
    owner = sign_up(gateway, client_id)
    # Signed in without a business: every route but POST /api/businesses says so.
    refused = owner.call("GET", "/api/business")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "NO_BUSINESS"

    bad = owner.call("POST", "/api/businesses", json={"name": "", "timezone": "Mars/Olympus"})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["error"]["details"]} >= {"name", "timezone"}

    created = owner.call("POST", "/api/businesses", json=BUSINESS)
    assert created.status_code == 201, created.text
    business = created.json()
    assert business["name"] == "Bean There" and business["nameAr"] == "كنا هنا"
    assert business["businessId"].startswith("biz_")
    assert business["brand"]["backgroundColor"].startswith("#")

    owner.refresh()
    claims = jwt.decode(owner.id_token, options={"verify_signature": False})
    assert claims["custom:businessId"] == business["businessId"]
    assert claims["cognito:groups"] == ["owner"]
    assert owner.call("GET", "/api/business").json()["name"] == "Bean There"
    # A second business for the same person: refused, nothing new.
    again = owner.call("POST", "/api/businesses", json={**BUSINESS, "name": "Second"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "ALREADY_IN_BUSINESS"
    assert owner.call("GET", "/api/business").json()["name"] == "Bean There"

    edited = owner.call(
        "PATCH",
        "/api/business",
        json={"name": "Bean Here", "brand": {"backgroundColor": "#FFFFFF", "foregroundColor": "#FEFEFE"}},
    )
    assert edited.status_code == 422 and edited.json()["error"]["code"] == "LOW_CONTRAST"
    # A refused brand leaves the names as they were: nothing half-taken.
    assert owner.call("GET", "/api/business").json()["name"] == "Bean There"
    edited = owner.call("PATCH", "/api/business", json={"name": "Bean Here"})
    assert edited.status_code == 200 and edited.json()["name"] == "Bean Here"


def test_a_business_creation_retried_with_the_old_token_gives_the_same_business(
    gateway: str, client_id: str
) -> None:
    """The first answer lost (the client never refreshed): the retry finds the business the first made."""
    owner = sign_up(gateway, client_id)
    first = owner.call("POST", "/api/businesses", json=BUSINESS)
    second = owner.call("POST", "/api/businesses", json=BUSINESS)
    assert first.status_code == second.status_code == 201
    assert first.json()["businessId"] == second.json()["businessId"]


def test_branches_are_listed_renamed_and_archived(gateway: str, client_id: str) -> None:
    owner, _ = owner_with_business(gateway, client_id)
    branch_id = add_branch(owner)
    assert branch_id.startswith("brn_")
    renamed = owner.call("PATCH", f"/api/branches/{branch_id}", json={"name": "Olaya North"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Olaya North"
    unknown = owner.call("PATCH", "/api/branches/brn_nosuchbranch000", json={"name": "X"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "BRANCH_NOT_FOUND"
    archived = owner.call("PATCH", f"/api/branches/{branch_id}", json={"status": "ARCHIVED"})
    assert archived.json()["status"] == "ARCHIVED"
    listed = owner.call("GET", "/api/branches").json()["items"]
    assert [(b["name"], b["status"]) for b in listed] == [("Olaya North", "ARCHIVED")]
    # An archived branch takes no manager.
    invited = owner.call(
        "POST", "/api/staff", json={"email": new_email("m"), "role": "manager", "branchId": branch_id}
    )
    assert invited.status_code == 404 and invited.json()["error"]["code"] == "BRANCH_NOT_FOUND"


def test_an_invited_manager_accepts_scans_at_their_branch_is_moved_and_removed(
    gateway: str, client_id: str
) -> None:
    owner, _ = owner_with_business(gateway, client_id)
    olaya, malqa = add_branch(owner, "Olaya"), add_branch(owner, "Malqa")
    email = new_email("manager")
    invited = owner.call("POST", "/api/staff", json={"email": email, "role": "manager", "branchId": olaya})
    assert invited.status_code == 201, invited.text
    person = invited.json()
    assert (person["status"], person["branchId"], person["role"]) == ("INVITED", olaya, "manager")
    # The same invitation twice: refused, and still one person.
    twice = owner.call("POST", "/api/staff", json={"email": email, "role": "manager", "branchId": olaya})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "PERSON_EXISTS"

    manager = accept_invitation(gateway, client_id, email)
    listed = owner.call("GET", "/api/staff").json()["items"]
    assert [(p["email"], p["status"]) for p in listed if p["role"] == "manager"] == [(email, "ACTIVE")]

    # The manager stamps a card at their branch.
    offer = owner.call("POST", "/api/offers", json={"name": "Coffee", "stampsRequired": 5})
    offer_id = offer.json()["offerId"]
    customer_id = enroll(gateway, offer_id).json()["customerId"]
    scanned = manager.call("POST", f"/api/branch-manager/scan/{customer_id}/{offer_id}")
    assert scanned.status_code == 200, scanned.text
    # Where it happened shows by name, in the pass's history and the stats, once the ledger (a stream consumer)
    # has written the stamp's event and counted it.
    history = eventually(
        lambda: owner.call("GET", f"/api/branch-manager/passes/{customer_id}/{offer_id}/history").json()[
            "items"
        ],
        lambda items: any(e["kind"] == "STAMP" for e in items),
    )
    assert [(e["kind"], e["branchName"]) for e in history if e["kind"] == "STAMP"] == [("STAMP", "Olaya")]
    assert by_branch_names(owner, offer_id) == {"Olaya": 1}
    # Staff routes are the owner's.
    assert manager.call("GET", "/api/staff").status_code == 403

    moved = owner.call("PATCH", f"/api/staff/{person['userId']}", json={"branchId": malqa})
    assert moved.status_code == 200 and moved.json()["branchId"] == malqa
    manager.refresh()
    assert jwt.decode(manager.id_token, options={"verify_signature": False})["custom:branchId"] == malqa

    removed = owner.call("DELETE", f"/api/staff/{person['userId']}")
    assert removed.status_code == 204
    # Signed out everywhere: no new token; the one in hand lives 5 minutes at most.
    with pytest.raises(ClientError):
        manager.refresh()
    claims = jwt.decode(manager.id_token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] <= 300
    # The list keeps who they were, without their email.
    after = [p for p in owner.call("GET", "/api/staff").json()["items"] if p["userId"] == person["userId"]]
    assert after == [{**after[0], "status": "REMOVED", "email": None}]


def test_the_last_owner_cannot_be_removed_and_a_co_owner_can(gateway: str, client_id: str) -> None:
    owner, _ = owner_with_business(gateway, client_id)
    me = jwt.decode(owner.id_token, options={"verify_signature": False})["sub"]
    last = owner.call("DELETE", f"/api/staff/{me}")
    assert last.status_code == 409 and last.json()["error"]["code"] == "LAST_OWNER"
    co_owner_email = new_email("coowner")
    invited = owner.call("POST", "/api/staff", json={"email": co_owner_email, "role": "owner"})
    assert invited.status_code == 201, invited.text
    co_owner = accept_invitation(gateway, client_id, co_owner_email)
    assert co_owner.call("GET", "/api/staff").status_code == 200
    assert co_owner.call("DELETE", f"/api/staff/{me}").status_code == 204
    with pytest.raises(ClientError):
        owner.refresh()


def test_an_invitation_to_an_account_of_another_business_or_a_strangers_branch_is_refused(
    gateway: str, client_id: str
) -> None:
    first, _ = owner_with_business(gateway, client_id)
    second, _ = owner_with_business(gateway, client_id)
    theirs = add_branch(second)
    to_their_branch = first.call(
        "POST", "/api/staff", json={"email": new_email("m"), "role": "manager", "branchId": theirs}
    )
    assert (
        to_their_branch.status_code == 404 and to_their_branch.json()["error"]["code"] == "BRANCH_NOT_FOUND"
    )
    taken = first.call("POST", "/api/staff", json={"email": second.email, "role": "owner"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "PERSON_EXISTS"
    no_branch = first.call("POST", "/api/staff", json={"email": new_email("m"), "role": "manager"})
    assert no_branch.status_code == 422


def test_a_token_naming_a_branch_the_business_does_not_have_is_refused(
    gateway: str, client_id: str, local_stack: Any
) -> None:
    _, business = owner_with_business(gateway, client_id)
    assert local_stack.user_pool is not None
    # Signed by the pool's key, as a token of the pool: only the branch is wrong.
    stray = local_stack.user_pool.issue("manager", business["businessId"], "brn_notabranch0000")
    denied = requests.get(f"{gateway}/api/offers", headers={"Authorization": f"Bearer {stray}"}, timeout=30)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "BRANCH_NOT_FOUND"
