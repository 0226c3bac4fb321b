"""The HTTP edge every handler shares: one resolver factory, one place where errors become the contract's body."""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty import bootstrap
from loyalty.app.metrics import metrics
from loyalty.domain.errors import DomainError, FieldError
from loyalty.entrypoints.http import refusals
from loyalty.entrypoints.http.access_log import write_access_line
from loyalty.entrypoints.http.refusals import JSON, json_response
from loyalty.entrypoints.http.security_headers import with_security_headers

logger = Logger(child=True)

__all__ = ["json_response", "lambda_entry", "new_api"]


def error_body(code: str, message: str, details: list[FieldError] | None = None) -> dict[str, Any]:
    """The contract's error body of a refusal the edge itself makes (no route ran, or the request's shape)."""
    return refusals.error_body(DomainError(message, code=code, details=details or []))


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
    return refusals.refusal(error)


def _on_validation_error(error: RequestValidationError, body_sent: bool) -> Response[Any]:
    errors = list(error.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return json_response(400, error_body("MALFORMED_JSON", "The request body is not valid JSON."))
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        if body_sent:  # JSON `null`: a body, but not the object the route takes
            details = [FieldError("body", "must be a JSON object")]
            return json_response(422, error_body("VALIDATION_ERROR", "The request is not valid.", details))
        return json_response(400, error_body("MALFORMED_JSON", "A JSON body is required."))
    details = [FieldError(field_path(e.get("loc", ())), str(e.get("msg", "is not valid"))) for e in errors]
    return json_response(422, error_body("VALIDATION_ERROR", "The request is not valid.", details))


def _on_not_found(_: NotFoundError) -> Response[Any]:
    return json_response(404, error_body("NOT_FOUND", "No such route."))


def _on_unexpected(_: Exception) -> Response[Any]:
    logger.exception("unhandled error")
    return json_response(500, error_body("INTERNAL_ERROR", "Something went wrong on our side."))


# The route key API Gateway gives a request no route matched (template.yaml sends it to a function for the 404).
DEFAULT_ROUTE_KEY = "$default"
# Contract bodies nest a few levels (a tier inside a list inside a config); far deeper is never a real request.
MAX_JSON_DEPTH = 32


def _answerable(parsed: Any) -> bool:
    """Nested no deeper than any request is, and every string (keys too) made of characters: a lone surrogate
    (`"\\ud800"`) parses, but it could be stored and never answered back. One walk, no recursion."""
    level: list[tuple[Any, int]] = [(parsed, 1)]
    while level:
        item, depth = level.pop()
        if depth > MAX_JSON_DEPTH:
            return False
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return False
        elif isinstance(item, dict):
            level.extend((child, depth + 1) for pair in item.items() for child in pair)
        elif isinstance(item, list):
            level.extend((child, depth + 1) for child in item)
    return True


def _screened_body(raw: str, base64_encoded: bool) -> str | Response[Any]:
    """The body as JSON text every route can parse, or the 4xx answer for one that is not JSON at all: bytes
    that are not UTF-8, text that is not JSON, nesting no request has, strings that are not Unicode."""
    if len(raw) > bootstrap.settings().max_body_bytes:
        return json_response(413, error_body("PAYLOAD_TOO_LARGE", "The request body is too large."))
    try:
        text = base64.b64decode(raw, validate=True).decode("utf-8") if base64_encoded else raw
        if _answerable(json.loads(text)):
            return text
    except (ValueError, RecursionError, UnicodeError, binascii.Error):
        pass
    return json_response(400, error_body("MALFORMED_JSON", "The request body is not valid JSON."))


def screen_request(event: dict[str, Any], function_url: bool = False) -> dict[str, Any] | Response[Any]:
    """Every request's body, before any route reads it: screened as above, and handed on as JSON text whatever
    Content-Type the client named (media types are case-insensitive; a scanner's `text/plain` is still JSON).
    Behind a function URL every event's route key is `$default` (Lambda developer guide, "Invoking Lambda function
    URLs"), so there it names no unknown route."""
    raw = event.get("body")
    if not raw or (event.get("routeKey") == DEFAULT_ROUTE_KEY and not function_url):
        return event  # no body, or no route to read it: an unknown route is a 404 whatever it was sent
    screened = _screened_body(str(raw), bool(event.get("isBase64Encoded")))
    if isinstance(screened, Response):
        return screened
    headers = {**(event.get("headers") or {}), "content-type": JSON}
    return {**event, "body": screened, "isBase64Encoded": False, "headers": headers}


def new_api() -> APIGatewayHttpResolver:
    """A Powertools HTTP API resolver (payload v2) with request validation and the contract's error answers."""
    app = APIGatewayHttpResolver(enable_validation=True)
    app.exception_handler(DomainError)(_on_domain_error)
    app.exception_handler(RequestValidationError)(
        lambda error: _on_validation_error(error, body_sent=bool(app.current_event.body))
    )
    app.exception_handler(NotFoundError)(_on_not_found)

    app.exception_handler(Exception)(_on_unexpected)
    return app


def lambda_entry(
    app: APIGatewayHttpResolver, *, function_url: bool = False
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The Lambda handler of a resolver, with the request's correlation id in every log line. `function_url`: the
    function is also called through its Lambda function URL (the same payload format 2.0, its route key always
    `$default`); its HttpApi routes then must not include `$default`."""
    function_logger = Logger()

    @metrics.log_metrics
    @function_logger.inject_lambda_context(correlation_id_path="requestContext.requestId", clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        screened = screen_request(event, function_url)
        if isinstance(screened, Response):
            answer = with_security_headers(_v2_response(screened))
        else:
            answer = with_security_headers(app.resolve(screened, context))
        elapsed = (time.perf_counter() - started) * 1000
        name = str(getattr(context, "function_name", "") or "")
        write_access_line(function_logger.log_level, event, answer, elapsed, name)
        return answer

    return handler


def _v2_response(response: Response[Any]) -> dict[str, Any]:
    """A response given before any route ran, in the shape API Gateway (payload v2) takes from Lambda."""
    return {
        "statusCode": response.status_code,
        "headers": {"Content-Type": JSON},
        "body": response.body,
        "isBase64Encoded": False,
    }
