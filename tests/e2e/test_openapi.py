"""One OpenAPI document for the whole API, generated from the handlers, served public and kept current."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
import requests
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from loyalty_local.cloud.lambda_runtime import LocalLambda
from loyalty_local.cloud.template import http_routes
from loyalty_local.tools.openapi import DOCUMENT_PATH, openapi_document

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
    # Not API operations: the document itself, its Swagger UI page and assets, and $default (the contract's 404 for every unmatched request).
    assert resolver_routes - documented == {
        ("GET", "/api/openapi.json"),
        ("GET", "/api/docs"),
        ("GET", "/api/docs/{asset}"),
        ("ANY", "$default"),
    }


def test_served_public_at_api_openapi_json(gateway: str) -> None:
    response = requests.get(f"{gateway}/api/openapi.json", timeout=10)
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert "/api/branch-manager/scan/{customerId}/{offerId}" in document["paths"]
    scan = document["paths"]["/api/branch-manager/scan/{customerId}/{offerId}"]["post"]
    assert scan["security"] == [{"bearer": []}]
    assert "security" not in document["paths"]["/api/offers/{offerId}/enroll"]["post"]


def test_docs_page_and_its_assets_come_from_our_origin(gateway: str) -> None:
    page = requests.get(f"{gateway}/api/docs", timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    # Relative: nothing from elsewhere; and no inline script (the page's CSP refuses it).
    assert sources == ["docs/swagger-ui.css", "docs/swagger-ui-bundle.js", "docs/start.js"]
    base = f"{gateway}/api/"
    start = requests.get(urljoin(base, "docs/start.js"), timeout=10)
    assert start.status_code == 200
    assert start.headers["Content-Type"].startswith("text/javascript")
    assert 'url: "openapi.json"' in start.text
    script = requests.get(urljoin(base, "docs/swagger-ui-bundle.js"), timeout=10)
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in script.text
    style = requests.get(urljoin(base, "docs/swagger-ui.css"), timeout=10)
    assert style.status_code == 200
    assert style.headers["Content-Type"].startswith("text/css")
    assert ".swagger-ui" in style.text
    assert requests.get(urljoin(base, "openapi.json"), timeout=10).json()["openapi"].startswith("3.")


def test_docs_serve_no_other_file(gateway: str) -> None:
    for name in ("LICENSE", "..%2Fopenapi.json", "app.py", "swagger-ui.css.map"):
        response = requests.get(f"{gateway}/api/docs/{name}", timeout=10)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"


def _operations() -> list[tuple[str, str, dict]]:
    document = json.loads(DOCUMENT_PATH.read_text(encoding="utf-8"))
    return [(method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()]


def test_every_operation_is_named_and_says_what_it_answers() -> None:
    """What a generated client needs: a stable name per operation, a success, and a schema for every JSON answer
    (never the empty schema that documents nothing)."""
    names = [op["operationId"] for _, _, op in _operations()]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][A-Za-z]+", name) for name in names)
    for method, path, op in _operations():
        statuses = set(op["responses"])
        assert any(status.startswith("2") for status in statuses), (method, path)
        if "security" in op:
            assert "401" in statuses, (method, path)
        if method in ("post", "put", "patch"):
            assert {"400", "413"} <= statuses, (method, path)
        for status, answer in op["responses"].items():
            for media_type, content in answer.get("content", {}).items():
                assert content.get("schema"), (method, path, status, media_type)
            if status.startswith(("4", "5")):
                assert "application/json" in answer["content"], (method, path, status)
