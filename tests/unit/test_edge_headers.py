"""Every answer of the distribution carries the security headers, and no policy lets an inline script run."""

from __future__ import annotations

import pytest

from loyalty.entrypoints.http.security_headers import BASELINE, with_security_headers
from loyalty_local.cloud.edge_headers import EdgeHeaders
from loyalty_local.cloud.template import load_template

EDGE = EdgeHeaders.from_template()
REQUIRED = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


def _directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in csp.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def test_every_behaviour_of_the_distribution_has_a_headers_policy() -> None:
    config = load_template()["Resources"]["WebDistribution"]["Properties"]["DistributionConfig"]
    behaviours = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert all("ResponseHeadersPolicyId" in b for b in behaviours)
    for pattern, rules in [*EDGE.behaviours, ("default", EDGE.default)]:
        assert set(REQUIRED) <= set(rules), pattern
        assert all(rules[name].override for name in REQUIRED), pattern


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/scan",
        "/join/off_x",
        "/api/offers",
        "/api/docs",
        "/wallet/apple/v1/log",
        "/.well-known/jwks.json",
    ],
)
def test_no_page_may_run_inline_script_or_be_framed(path: str) -> None:
    headers = EDGE.apply(path, {"Content-Security-Policy": "script-src * 'unsafe-inline'"})
    csp = _directives(headers["Content-Security-Policy"])
    scripts = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts
    assert csp["frame-ancestors"] == ["'none'"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


def test_the_web_apps_allow_no_inline_style_either_and_reach_only_their_origin_and_sign_in() -> None:
    csp = _directives(EDGE.default["Content-Security-Policy"].resolved({}))
    assert csp["style-src"] == ["'self'"]
    template_csp = load_template()["Resources"]["WebHeadersPolicy"]["Properties"][
        "ResponseHeadersPolicyConfig"
    ]
    deployed = template_csp["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"][
        "Fn::Sub"
    ]
    connect = _directives(deployed)["connect-src"]
    assert connect == [
        "'self'",
        "https://${UserPoolDomain}.auth.${AWS::Region}.amazoncognito.com",  # the hosted UI's token exchange
        "https://${BrandImagesBucket.RegionalDomainName}",  # brand images are posted to their bucket
        "https://${BrandImagesBucket}.s3.amazonaws.com",
    ]


def test_locally_a_deployed_source_becomes_its_stand_in_or_is_left_out() -> None:
    edge = EdgeHeaders.from_template()
    edge.local_sources["https://${BrandImagesBucket.RegionalDomainName}"] = "http://127.0.0.1:5000"
    edge.local_sources["https://${BrandImagesBucket}.s3.amazonaws.com"] = "http://127.0.0.1:5000"
    connect = _directives(edge.apply("/", {})["Content-Security-Policy"])["connect-src"]
    assert connect == ["'self'", "http://127.0.0.1:5000"]


def test_a_function_answer_gets_the_baseline_and_keeps_its_own_policy() -> None:
    plain = with_security_headers({"statusCode": 200, "headers": {"Content-Type": "application/json"}})
    assert {k: plain["headers"][k] for k in BASELINE} == BASELINE
    own = with_security_headers(
        {"statusCode": 200, "headers": {"content-security-policy": "script-src 'self'"}}
    )
    assert own["headers"]["content-security-policy"] == "script-src 'self'"
    assert "Content-Security-Policy" not in own["headers"]
