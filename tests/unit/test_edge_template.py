"""The distribution in front of the API: it marks its requests for the API (so the viewer's address is believed
only from it) and, where a web ACL can live, refuses a flood from one viewer address at the edge."""

from __future__ import annotations

from loyalty_local.cloud.template import functions, load_template

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
