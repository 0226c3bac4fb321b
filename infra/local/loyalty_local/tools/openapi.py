"""One OpenAPI document for the whole API, merged from each function's Powertools resolver. It is generated into
functions/openapi/openapi.json (shipped with the function that serves it); a test keeps the file current."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.openapi.merge import OpenAPIMerge
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

from loyalty_local.cloud.lambda_runtime import LocalLambda
from loyalty_local.cloud.template import REPO_ROOT, http_routes

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
                # The local gateway refuses a token with the contract's body, as the handlers would.
                _or_from_the_gateway(operation, 401, "No, invalid or expired bearer token", ERROR_BODY)
            _drop_powertools_validation_answer(operation)
            _or_from_the_gateway(operation, 429, "Throttled by the API's route limits")
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in POWERTOOLS_ERROR_SCHEMAS:
        schemas.pop(name, None)
    document = named_by_title(document)
    schemas = document["components"]["schemas"]
    schemas[GATEWAY_MESSAGE] = {
        "title": GATEWAY_MESSAGE,
        "description": "What API Gateway itself answers when it refuses a request before any function runs: "
        "its JWT authorizer (401) and its throttling (429) cannot answer the contract's error body.",
        "type": "object",
        "properties": {"message": {"type": "string", "title": "Message"}},
        "required": ["message"],
    }
    return document


# Answers API Gateway gives on its own when deployed (template.yaml: the JWT authorizer, DefaultRouteSettings'
# throttling). The local gateway answers them with the contract's body; a client must expect either.
GATEWAY_MESSAGE = "GatewayMessage"
JSON = "application/json"


ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}


def _or_from_the_gateway(
    operation: dict[str, Any], status: int, description: str, undeclared: dict[str, str] | None = None
) -> None:
    """The status's answer may also be API Gateway's own; `undeclared` is what else answers it when the route
    does not declare the status itself."""
    answers = operation.setdefault("responses", {})
    declared = answers.get(str(status), {}).get("content", {}).get(JSON, {}).get("schema") or undeclared
    ours = [declared] if declared else []
    gateway = {"$ref": f"#/components/schemas/{GATEWAY_MESSAGE}"}
    answers[str(status)] = {
        **answers.get(str(status), {"description": description}),
        "content": {JSON: {"schema": {"anyOf": [*ours, gateway]} if ours else gateway}},
    }


COMPONENTS = "#/components/schemas/"


def named_by_title(document: dict[str, Any]) -> dict[str, Any]:
    """The document with each component schema named by its title. Pydantic names a component after the model's
    class; a contract model whose class name is also the domain's word is named for its side of the edge
    (`OfferAnswer` beside the domain's `Offer`, docs/MODULE-MOVES.md) and keeps the contract's name as its title
    (`class OfferAnswer(ContractModel, title="Offer")`), which is the name clients know."""
    schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
    renamed = {name: schema.get("title", name) for name, schema in schemas.items()}
    titles = list(renamed.values())
    twice = sorted({title for title in titles if titles.count(title) > 1})
    if twice:
        raise ValueError(f"two component schemas would share the name {', '.join(twice)}")
    moved = {COMPONENTS + old: COMPONENTS + new for old, new in renamed.items() if old != new}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: moved.get(value, value) if key == "$ref" and isinstance(value, str) else walk(value)
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    named: dict[str, Any] = walk(document)
    named["components"]["schemas"] = {
        renamed[name]: schema for name, schema in named["components"]["schemas"].items()
    }
    return named


# Powertools documents a 422 of its own shape on every route of a validating resolver; the API never sends that
# body (loyalty.entrypoints.http.api answers the contract's), and a route that can answer 422 says so itself.
POWERTOOLS_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError", "ResponseValidationError")


def _drop_powertools_validation_answer(operation: dict[str, Any]) -> None:
    answer = operation.get("responses", {}).get("422", {})
    schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
    if schema.get("$ref", "").endswith("/HTTPValidationError"):
        del operation["responses"]["422"]
