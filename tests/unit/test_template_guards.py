"""What the template itself refuses to deploy: Apple Wallet without an HTTPS web-service origin."""

from __future__ import annotations

import re
from typing import Any

import pytest

from loyalty_local.cloud.template import load_template


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template()


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [
        ("", True),
        ("https://loyalty.example.com", True),
        ("http://loyalty.example.com", False),
        ("https://loyalty.example.com/", False),
        ("loyalty.example.com", False),
    ],
)
def test_the_public_origin_is_https_or_empty(template: dict[str, Any], origin: str, accepted: bool) -> None:
    # CloudFormation matches AllowedPattern against the whole value.
    pattern = template["Parameters"]["PublicApiBaseUrl"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, origin)) is accepted


def test_apple_wallet_on_requires_the_public_origin(template: dict[str, Any]) -> None:
    rule = template["Rules"]["AppleWalletNeedsHttpsWebService"]
    assert rule["RuleCondition"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApplePassTypeId"}, ""]}]}
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "PublicApiBaseUrl"}, ""]}]}
