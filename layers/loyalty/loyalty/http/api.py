"""The HTTP edge every handler shares: one resolver factory, one place where errors become the contract's body."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.domain.errors import DomainError, FieldError
from loyalty.settings import get_settings

logger = Logger(child=True)

JSON = "application/json"
IDEMPOTENCY_HEADER = "idempotency-key"


def error_body(
    code: str, message: str, details: list[FieldError] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "success": False,
        "error": {"code": code, "message": message, "details": [d.as_dict() for d in details or []]},
    }
    body.update(extra)
    return body


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        headers=headers,
    )


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """pydantic's `("body", "tiers", 1, "minRewards")` → the contract's `tiers[1].minRewards`."""
    parts = list(loc)
    if parts and parts[0] in ("body", "path", "query", "header"):
        parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or "body"


def _on_domain_error(error: DomainError) -> Response[Any]:
    if error.status >= 500:
        logger.error("domain error answered as server error", extra={"code": error.code})
    return json_response(error.status, error_body(error.code, error.message, error.details, **error.extra))


def _on_validation_error(error: RequestValidationError) -> Response[Any]:
    errors = list(error.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return json_response(400, error_body("MALFORMED_JSON", "The request body is not valid JSON."))
    details = [FieldError(field_path(e.get("loc", ())), str(e.get("msg", "is not valid"))) for e in errors]
    return json_response(422, error_body("VALIDATION_ERROR", "The request is not valid.", details))


def _on_not_found(_: NotFoundError) -> Response[Any]:
    return json_response(404, error_body("NOT_FOUND", "No such route."))


def _on_unexpected(_: Exception) -> Response[Any]:
    logger.exception("unhandled error")
    return json_response(500, error_body("INTERNAL_ERROR", "Something went wrong on our side."))


def _reject_oversized_bodies(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    body = app.current_event.body or ""
    if len(body) > get_settings().max_body_bytes:
        return json_response(413, error_body("PAYLOAD_TOO_LARGE", "The request body is too large."))
    return next_middleware(app)


def new_api() -> APIGatewayHttpResolver:
    """A Powertools HTTP API resolver (payload v2) with request validation and the contract's error answers."""
    app = APIGatewayHttpResolver(enable_validation=True)
    app.use(middlewares=[_reject_oversized_bodies])
    app.exception_handler(DomainError)(_on_domain_error)
    app.exception_handler(RequestValidationError)(_on_validation_error)
    app.exception_handler(NotFoundError)(_on_not_found)

    app.exception_handler(Exception)(_on_unexpected)
    return app


def idempotency_key(app: APIGatewayHttpResolver) -> str | None:
    """The client's Idempotency-Key header, validated (printable, 1..128 characters)."""
    raw = app.current_event.headers.get(IDEMPOTENCY_HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if not key or len(key) > 128 or not key.isprintable():
        raise DomainError(
            "Idempotency-Key must be 1 to 128 printable characters.",
            code="VALIDATION_ERROR",
            status=422,
            details=[FieldError("Idempotency-Key", "must be 1 to 128 printable characters")],
        )
    return key


def lambda_entry(app: APIGatewayHttpResolver) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda handler of a resolver, with the request's correlation id in every log line."""
    function_logger = Logger()

    @function_logger.inject_lambda_context(correlation_id_path="requestContext.requestId", clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler
