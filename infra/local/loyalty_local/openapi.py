"""One OpenAPI document for the whole API, merged from each function's Powertools resolver. It is generated into
functions/openapi/openapi.json (shipped with the function that serves it); a test keeps the file current."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from loyalty_local.lambda_runtime import LocalLambda
from loyalty_local.template import REPO_ROOT, http_routes

DOCUMENT_PATH = REPO_ROOT / "functions/openapi/openapi.json"


def openapi_document() -> dict[str, Any]:
    runtime = LocalLambda()
    merge = OpenAPIMerge(
        title="Loyalty platform API",
        version="1.0.0",
        description="Stamp-card offers, perpetual passes, tiers, wallet passes and portable loyalty credentials.",
        security_schemes={"bearer": HTTPBearer(bearerFormat="JWT")},
        on_conflict="error",
    )
    public = {(r.method.lower(), r.path) for r in http_routes() if r.public}
    for function in sorted({r.function for r in http_routes()}):
        app = getattr(runtime.module(function), "app", None)
        if isinstance(app, APIGatewayHttpResolver):
            merge.add_schema(
                app.get_openapi_schema().model_dump(mode="json", by_alias=True, exclude_none=True)
            )
    document: dict[str, Any] = json.loads(merge.get_openapi_json_schema())
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            if (method, path) not in public:
                operation["security"] = [{"bearer": []}]
            _drop_powertools_validation_answer(operation)
    schemas = document.get("components", {}).get("schemas", {})
    for name in POWERTOOLS_ERROR_SCHEMAS:
        schemas.pop(name, None)
    return document


# Powertools documents a 422 of its own shape on every route of a validating resolver; the API never sends that
# body (loyalty.entrypoints.http.api answers the contract's), and a route that can answer 422 says so itself.
POWERTOOLS_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


def _drop_powertools_validation_answer(operation: dict[str, Any]) -> None:
    answer = operation.get("responses", {}).get("422", {})
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("$ref", "").endswith("/HTTPValidationError"):
        del operation["responses"]["422"]
