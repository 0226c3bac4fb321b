"""Browser preflights reach the `$default` function (API Gateway routes OPTIONS there): it answers them 2xx with
the HTTP API's own CORS configuration."""

from __future__ import annotations

from typing import Any

from loyalty.entrypoints.http.cors import CorsPolicy
from loyalty_local.cloud.template import functions, load_template

DASHBOARD = "http://localhost:5173"
POLICY = CorsPolicy(
    (DASHBOARD,), "Authorization,Content-Type,Idempotency-Key", "GET,POST,PUT,DELETE,OPTIONS", 600
)


def _event(method: str, headers: dict[str, str]) -> dict[str, Any]:
    return {"routeKey": "$default", "headers": headers, "requestContext": {"http": {"method": method}}}


def test_a_preflight_from_the_dashboard_gets_204_and_the_cors_headers() -> None:
    answer = POLICY.preflight_answer(
        _event("OPTIONS", {"origin": DASHBOARD, "access-control-request-method": "PUT"})
    )
    assert answer is not None
    assert answer["statusCode"] == 204
    assert answer["headers"]["Access-Control-Allow-Origin"] == DASHBOARD
    assert answer["headers"]["Access-Control-Allow-Methods"] == "GET,POST,PUT,DELETE,OPTIONS"
    assert answer["headers"]["Access-Control-Allow-Headers"] == "Authorization,Content-Type,Idempotency-Key"
    assert answer["headers"]["Access-Control-Max-Age"] == "600"


def test_a_preflight_from_another_origin_gets_no_cors_headers() -> None:
    answer = POLICY.preflight_answer(
        _event("OPTIONS", {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    )
    assert answer is not None
    assert answer["headers"] == {}


def test_what_is_not_a_preflight_is_left_to_the_routes() -> None:
    assert POLICY.preflight_answer(_event("OPTIONS", {"origin": DASHBOARD})) is None
    assert POLICY.preflight_answer(_event("GET", {"access-control-request-method": "GET"})) is None


def test_the_default_function_carries_the_http_apis_cors_configuration() -> None:
    """The function's variables repeat the HttpApi's CorsConfiguration; they must not drift apart."""
    cors = load_template()["Resources"]["HttpApi"]["Properties"]["CorsConfiguration"]
    (default_function,) = {
        logical_id
        for logical_id, resource in load_template()["Resources"].items()
        if resource.get("Type") == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "HttpApi" and "Path" not in event["Properties"]
    }
    variables = functions()[default_function].environment
    assert variables["CORS_ALLOW_ORIGINS"] == {"Ref": "DashboardOrigin"}
    assert cors["AllowOrigins"] == [{"Ref": "DashboardOrigin"}]
    assert variables["CORS_ALLOW_HEADERS"].split(",") == cors["AllowHeaders"]
    assert variables["CORS_ALLOW_METHODS"].split(",") == cors["AllowMethods"]
    assert int(variables["CORS_MAX_AGE"]) == cors["MaxAge"]
