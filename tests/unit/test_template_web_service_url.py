"""template.yaml gives passes the Apple Wallet function's URL: the URL is public with both grants Lambda needs, kept in
the SSM parameter whose name every function is given and which the Apple Wallet function reads, and named directly
to the other functions that give out pass addresses (docs/decisions/0021j)."""

from __future__ import annotations

from typing import Any

from loyalty_local.cloud.template import functions, load_template

READERS = {"AppleWalletFunction"}
# The other functions that give out pass addresses (the download link) are given the URL itself.
NAMED = {"EnrollFunction", "PassRecoveryFunction"}


def _resources() -> dict[str, Any]:
    resources: dict[str, Any] = load_template()["Resources"]
    return resources


def _reads_parameter(function: str) -> bool:
    statements = [
        statement
        for policy in _resources()[function]["Properties"].get("Policies", [])
        if isinstance(policy, dict)
        for statement in policy.get("Statement", [])
    ]
    return any(
        "ssm:GetParameter" in s.get("Action", [])
        and "parameter/loyalty/${Stage}/apple-wallet/web-service-url" in str(s.get("Resource"))
        for s in statements
    )


def test_the_apple_wallet_function_has_a_public_url_with_both_grants() -> None:
    resources = _resources()
    assert resources["AppleWalletFunction"]["Properties"]["FunctionUrlConfig"] == {"AuthType": "NONE"}
    grants = [r["Properties"] for r in resources.values() if r["Type"] == "AWS::Lambda::Permission"]
    assert {
        "FunctionName": {"Ref": "AppleWalletFunction"},
        "Action": "lambda:InvokeFunction",
        "Principal": "*",
        "InvokedViaFunctionUrl": True,
    } in grants


def test_every_function_is_given_the_parameters_name_and_only_renderers_may_read_it() -> None:
    (parameter,) = [r["Properties"] for r in _resources().values() if r["Type"] == "AWS::SSM::Parameter"]
    assert parameter["Value"] == {"Fn::GetAtt": ["AppleWalletFunctionUrl", "FunctionUrl"]}
    for definition in functions().values():
        assert definition.environment["APPLE_WALLET_WEB_SERVICE_URL_PARAMETER"] == parameter["Name"]
    readers = {name for name in functions() if _reads_parameter(name)}
    assert readers == READERS


def test_the_functions_that_can_name_the_url_are_given_it_and_read_no_parameter() -> None:
    """Enroll and pass recovery render the download link: the URL is named in their environment (the Apple Wallet
    function itself cannot be: a cycle), so their first request builds no SSM client."""
    for name, definition in functions().items():
        given = definition.environment.get("APPLE_WALLET_FUNCTION_URL")
        if name in NAMED:
            assert given == {"Fn::GetAtt": ["AppleWalletFunctionUrl", "FunctionUrl"]}
        else:
            assert given is None, name
