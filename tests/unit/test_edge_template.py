"""The distribution in front of the API: it marks its requests for the API (so the viewer's address is believed
only from it) and, where a web ACL can live, refuses a flood from one viewer address at the edge."""

from __future__ import annotations

import tomllib
from pathlib import Path

from loyalty_local.cloud.template import functions, load_template

ROOT = Path(__file__).resolve().parents[2]

RESOURCES = load_template()["Resources"]
DISTRIBUTION = RESOURCES["WebDistribution"]["Properties"]["DistributionConfig"]


def test_the_api_origin_carries_the_generated_origin_secret() -> None:
    (api,) = [origin for origin in DISTRIBUTION["Origins"] if origin["Id"] == "api"]
    (header,) = api["OriginCustomHeaders"]
    assert header["HeaderName"] == "X-Origin-Verify"
    assert header["HeaderValue"] == {
        "Fn::Sub": "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString}}"
    }
    secret = RESOURCES["OriginVerifySecret"]["Properties"]
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32
    assert "SecretString" not in secret, "the value is generated, never written in the template"


def test_the_public_door_functions_can_tell_our_distribution() -> None:
    for name in ("EnrollFunction", "PassRecoveryFunction"):
        assert functions()[name].environment["ORIGIN_VERIFY_SECRET_ID"] == {"Ref": "OriginVerifySecret"}, name


def test_api_behaviours_forward_the_viewer_address() -> None:
    all_viewer_except_host = "b689b0a8-53d0-40ab-baf2-68738e2966ac"  # includes CloudFront-Viewer-Address
    for behaviour in DISTRIBUTION["CacheBehaviors"]:
        if behaviour["PathPattern"] in ("/api/*", "/wallet/*"):
            assert behaviour["OriginRequestPolicyId"] == all_viewer_except_host


def test_a_rate_based_rule_keys_the_public_routes_on_the_viewer_address() -> None:
    acl = RESOURCES["PublicDoorAcl"]
    assert acl["Properties"]["Scope"] == "CLOUDFRONT"
    (rule,) = acl["Properties"]["Rules"]
    rate = rule["Statement"]["RateBasedStatement"]
    assert rate["AggregateKeyType"] == "IP"
    searched = {
        s["ByteMatchStatement"]["SearchString"]
        for s in rate["ScopeDownStatement"]["OrStatement"]["Statements"]
    }
    assert searched == {"/enroll", "/api/passes/recover"}
    assert DISTRIBUTION["WebACLId"]["Fn::If"][1] == {"Fn::GetAtt": ["PublicDoorAcl", "Arn"]}


# ------------------------------------------------------------------ the execute-api endpoint (issue 20, item 4)


def _resolved(value: object, conditions: dict[str, bool]) -> object:
    """`value` with each Fn::If taken as `conditions` say (what CloudFormation does at deploy time)."""
    if isinstance(value, dict):
        if set(value) == {"Fn::If"}:
            name, yes, no = value["Fn::If"]
            return _resolved(yes if conditions[name] else no, conditions)
        return {key: _resolved(item, conditions) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, conditions) for item in value]
    return value


def _api_origin(conditions: dict[str, bool]) -> object:
    (api,) = [origin for origin in DISTRIBUTION["Origins"] if origin["Id"] == "api"]
    return _resolved(api["DomainName"], conditions)


def test_with_an_api_domain_the_execute_api_endpoint_is_off_and_cloudfront_uses_the_domain() -> None:
    api = RESOURCES["HttpApi"]["Properties"]
    on = {"HasApiDomain": True}
    assert _resolved(api["DisableExecuteApiEndpoint"], on) is True
    assert _api_origin(on) == {"Ref": "ApiDomainName"}
    domain = RESOURCES["ApiDomain"]
    assert domain["Condition"] == "HasApiDomain"
    (configuration,) = domain["Properties"]["DomainNameConfigurations"]
    assert configuration == {
        "CertificateArn": {"Ref": "ApiCertificateArn"},
        "EndpointType": "REGIONAL",
        "SecurityPolicy": "TLS_1_2",
    }
    mapping = RESOURCES["ApiDomainMapping"]
    assert mapping["Condition"] == "HasApiDomain"
    assert mapping["Properties"] == {
        "DomainName": {"Ref": "ApiDomain"},
        "ApiId": {"Ref": "HttpApi"},
        "Stage": "$default",
    }


def test_without_an_api_domain_the_stack_still_deploys_on_the_execute_api_endpoint() -> None:
    off = {"HasApiDomain": False}
    assert _resolved(RESOURCES["HttpApi"]["Properties"]["DisableExecuteApiEndpoint"], off) is False
    assert _api_origin(off) == {"Fn::Sub": "${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"}


def test_production_cannot_deploy_with_the_execute_api_endpoint_open() -> None:
    template = load_template()
    rule = template["Rules"]["ProdHidesExecuteApi"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApiDomainName"}, ""]}]}
    (needs_certificate,) = template["Rules"]["ApiDomainNeedsCertificate"]["Assertions"]
    assert needs_certificate["Assert"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "ApiCertificateArn"}, ""]}]}


def test_the_prod_profile_names_the_api_domain_and_its_certificate() -> None:
    profile = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    overrides = profile["prod"]["deploy"]["parameters"]["parameter_overrides"]
    names = {override.split("=", 1)[0] for override in overrides}
    assert {"ApiDomainName", "ApiCertificateArn"} <= names
