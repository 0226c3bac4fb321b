"""The local stack's sign-in, through the gateway: the token its page gets is one the JWT authorizer accepts, with
the role and business chosen; the app's paths never shadow the API's."""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e


def test_a_local_sign_in_token_opens_the_api_for_that_role_and_business(
    gateway: str, business_id: str
) -> None:
    owner = requests.post(
        f"{gateway}/_local/signin", json={"role": "owner", "businessId": business_id}, timeout=30
    ).json()["idToken"]
    offers = requests.get(f"{gateway}/api/offers", headers={"Authorization": f"Bearer {owner}"}, timeout=30)
    assert offers.status_code == 200

    manager = requests.post(
        f"{gateway}/_local/signin",
        json={"role": "manager", "businessId": business_id, "branchId": "branch-1"},
        timeout=30,
    ).json()["idToken"]
    refused = requests.post(
        f"{gateway}/api/offers",
        json={"name": "Not mine to make", "stampsRequired": 3},
        headers={"Authorization": f"Bearer {manager}"},
        timeout=30,
    )
    assert refused.status_code == 403


def test_the_config_and_the_api_keep_their_own_answers(gateway: str) -> None:
    assert requests.get(f"{gateway}/config.json", timeout=30).json()["auth"] == "local"
    assert requests.get(f"{gateway}/api/health", timeout=30).json() == {"status": "ok"}
    unknown = requests.get(f"{gateway}/api/no-such-route", timeout=30)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "NOT_FOUND"
