"""The Google Wallet adapter over HTTP against the local stand-in: OAuth, inserts, PATCHes, errors."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
import requests

from loyalty.adapters.google.client import GoogleWalletError
from loyalty.adapters.google.oauth import ServiceAccountTokens, TokenGrantError
from loyalty.adapters.google.objects import object_id
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.adapters.google.service_account import parse_service_account
from loyalty.adapters.http import new_client
from loyalty.domain.passes import PassStatus
from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.support.google_service_account import (
    TEST_ISSUER_ID,
    google_wallet_against,
    other_service_account,
    sample_offer,
    sample_pass,
    throwaway_account,
)

pytestmark = pytest.mark.integration

OFFER = sample_offer()


@pytest.fixture
def google(standin: GoogleWalletStandin) -> GoogleWalletPasses:
    return google_wallet_against(standin, throwaway_account())


def test_a_new_pass_becomes_a_class_and_an_object(
    standin: GoogleWalletStandin, google: GoogleWalletPasses
) -> None:
    pass_ = sample_pass(OFFER, rewards_claimed=4, current_stamps=2)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(4))
    stored = standin.wallet_object(object_id(TEST_ISSUER_ID, pass_.customer_id, OFFER.offer_id))
    assert stored is not None
    assert stored["classId"] == f"{TEST_ISSUER_ID}.{OFFER.offer_id}"
    assert stored["loyaltyPoints"]["balance"]["int"] == 4
    assert stored["barcode"]["value"] == pass_.qr_payload
    assert standin.wallet_class(f"{TEST_ISSUER_ID}.{OFFER.offer_id}")["programName"] == "Free coffee"


def test_inserting_again_is_harmless(standin: GoogleWalletStandin, google: GoogleWalletPasses) -> None:
    pass_ = sample_pass(OFFER)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    statuses = [r.status for r in standin.api_requests("POST")]
    assert statuses == [200, 200, 409, 409]


def test_an_update_is_one_patch_of_what_changed(
    standin: GoogleWalletStandin, google: GoogleWalletPasses
) -> None:
    pass_ = sample_pass(OFFER, current_stamps=3, rewards_claimed=1)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(1))
    google.update(OFFER, replace(pass_, current_stamps=4), OFFER.ladder.standing(1), notify=False)
    wallet_id = object_id(TEST_ISSUER_ID, pass_.customer_id, OFFER.offer_id)
    (patch,) = standin.object_patches(wallet_id)
    assert patch.status == 200
    assert "notifyPreference" not in patch.body
    progress = {m["id"]: m["body"] for m in standin.wallet_object(wallet_id)["textModulesData"]}["progress"]
    assert progress == "4 of 5"
    assert standin.notifications(wallet_id) == []


def test_one_token_serves_many_calls(standin: GoogleWalletStandin, google: GoogleWalletPasses) -> None:
    pass_ = sample_pass(OFFER)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    for stamps in range(1, 5):
        google.update(OFFER, replace(pass_, current_stamps=stamps), OFFER.ladder.standing(0), notify=False)
    assert len([r for r in standin.requests if r.path == "/token"]) == 1


def test_a_revoked_token_is_replaced_and_the_call_goes_through(
    standin: GoogleWalletStandin, google: GoogleWalletPasses
) -> None:
    pass_ = sample_pass(OFFER)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    standin.revoke_tokens()
    google.update(OFFER, replace(pass_, current_stamps=1), OFFER.ladder.standing(0), notify=False)
    assert [r.status for r in standin.object_patches()] == [401, 200]
    assert len([r for r in standin.requests if r.path == "/token"]) == 2


def test_an_object_google_never_got_is_inserted_on_update(
    standin: GoogleWalletStandin, google: GoogleWalletPasses
) -> None:
    pass_ = sample_pass(OFFER, current_stamps=2)
    google.update(OFFER, pass_, OFFER.ladder.standing(0), notify=False)
    stored = standin.wallet_object(object_id(TEST_ISSUER_ID, pass_.customer_id, OFFER.offer_id))
    assert stored is not None
    assert stored["state"] == "ACTIVE"


def test_expiry_sets_the_object_expired(standin: GoogleWalletStandin, google: GoogleWalletPasses) -> None:
    pass_ = sample_pass(OFFER, rewards_claimed=2)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(2))
    google.update(OFFER, replace(pass_, status=PassStatus.EXPIRED), OFFER.ladder.standing(2), notify=True)
    wallet_id = object_id(TEST_ISSUER_ID, pass_.customer_id, OFFER.offer_id)
    assert standin.wallet_object(wallet_id)["state"] == "EXPIRED"
    assert len(standin.notifications(wallet_id)) == 1
    assert "notifyPreference" not in standin.wallet_object(wallet_id)  # it holds for one request only


def test_google_failures_surface_as_errors(standin: GoogleWalletStandin, google: GoogleWalletPasses) -> None:
    pass_ = sample_pass(OFFER)
    google.ensure_object(OFFER, pass_, OFFER.ladder.standing(0))
    standin.fail_next("PATCH", "/loyaltyObject/", status=503)
    with pytest.raises(GoogleWalletError) as failure:
        google.update(OFFER, replace(pass_, current_stamps=1), OFFER.ladder.standing(0), notify=False)
    assert failure.value.status == 503


def test_the_token_endpoint_refuses_a_key_it_does_not_know(standin: GoogleWalletStandin) -> None:
    stranger = parse_service_account(json.dumps(other_service_account()))
    tokens = ServiceAccountTokens(
        lambda: stranger, standin.token_url, new_client(connect_seconds=5, read_seconds=5)
    )
    with pytest.raises(TokenGrantError) as failure:
        tokens.bearer()
    assert failure.value.status == 400


def test_the_api_refuses_calls_without_its_token(standin: GoogleWalletStandin) -> None:
    answer = requests.get(f"{standin.api_base_url}/loyaltyObject/{TEST_ISSUER_ID}.x", timeout=5)
    assert answer.status_code == 401
    forged = requests.get(
        f"{standin.api_base_url}/loyaltyObject/{TEST_ISSUER_ID}.x",
        headers={"Authorization": "Bearer ya29.made-up"},
        timeout=5,
    )
    assert forged.status_code == 401
