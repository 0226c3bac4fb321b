"""The local stand-in for Wallet's parser refuses what an iPhone refuses (each rule cites Apple's page)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty_local.standins.wallet_pass_rules import assert_wallet_accepts, problems
from tests.support.apple_passes import a_pass, an_issuer, an_offer


def _pass_json() -> dict[str, Any]:
    offer = an_offer()
    pass_ = a_pass(offer)
    issuer = an_issuer("pass.test.loyalty", "TEAM123456")
    return pass_document(pass_face(pass_, offer, offer.ladder.standing(7), 90), issuer).pass_json


def test_our_pass_is_taken() -> None:
    assert_wallet_accepts(_pass_json())


@pytest.mark.parametrize(
    "value", ["2026-12-07T14:41:32.573Z", "2026-12-07", "07/12/2026 14:41", "2026-12-07T14:41:32"]
)
def test_a_date_field_wallet_cannot_parse_refuses_the_pass(value: str) -> None:
    document = _pass_json()
    document["storeCard"]["backFields"].append(
        {"key": "since", "label": "Since", "value": value, "dateStyle": "PKDateStyleMedium"}
    )
    assert any("Unable to parse" in problem for problem in problems(document))
    document["expirationDate"] = value
    assert any("expirationDate" in problem for problem in problems(document))


@pytest.mark.parametrize("value", ["2026-12-07T14:41Z", "2026-12-07T14:41:32Z", "2026-12-07T14:41:32+04:00"])
def test_w3c_dates_with_minutes_or_seconds_are_taken(value: str) -> None:
    document = _pass_json()
    document["expirationDate"] = value
    assert problems(document) == []


def test_a_fifth_secondary_or_auxiliary_field_refuses_the_pass() -> None:
    document = _pass_json()
    front = copy.deepcopy(document)
    front["storeCard"]["auxiliaryFields"].append({"key": "extra", "label": "Extra", "value": "x"})
    assert problems(document) == []
    assert any("at most 4" in problem for problem in problems(front))


def test_a_key_used_twice_refuses_the_pass() -> None:
    document = _pass_json()
    document["storeCard"]["backFields"].append({"key": "progress", "label": "Again", "value": "x"})
    assert any("used twice" in problem for problem in problems(document))
