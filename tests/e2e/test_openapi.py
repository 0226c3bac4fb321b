"""One OpenAPI document for the whole API, generated from the handlers, served public and kept current."""

from __future__ import annotations

import json

import pytest
import requests
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty_local.lambda_runtime import LocalLambda
from loyalty_local.openapi import DOCUMENT_PATH, openapi_document
from loyalty_local.template import http_routes

pytestmark = pytest.mark.e2e


def test_the_committed_document_is_what_the_handlers_generate(local_stack) -> None:
    committed = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    assert committed == openapi_document(), "run `make openapi` and commit functions/openapi/openapi.json"


def test_every_route_served_by_a_resolver_is_documented(local_stack) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in openapi_document()["paths"].items()
        for method in operations
    }
    runtime = LocalLambda()  # imports the handlers here, to read their resolvers
    resolver_routes = {
        (r.method, r.path)
        for r in http_routes()
        if isinstance(getattr(runtime.module(r.function), "app", None), APIGatewayHttpResolver)
    }
    # Not API operations: the document itself, and $default (the contract's 404 for every unmatched request).
    assert resolver_routes - documented == {("GET", "/api/openapi.json"), ("ANY", "$default")}


def test_served_public_at_api_openapi_json(gateway: str) -> None:
    response = requests.get(f"{gateway}/api/openapi.json", timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/branch-manager/scan/{customerId}/{offerId}" in document["paths"]
    scan = document["paths"]["/api/branch-manager/scan/{customerId}/{offerId}"]["post"]
    assert scan["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/offers/{offerId}/enroll"]["post"]
