"""template.yaml gives passes the Apple Wallet function's URL: the URL is public with both grants Lambda needs, kept in
the SSM parameter whose name every function is given, and readable by exactly the functions that give out pass
addresses (docs/decisions/0021j)."""

from __future__ import annotations

from typing import Any

from loyalty_local.cloud.template import functions, load_template

READERS = {"AppleWalletFunction", "EnrollFunction", "PassRecoveryFunction"}


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
