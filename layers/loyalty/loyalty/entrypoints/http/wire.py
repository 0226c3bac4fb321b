"""What every route's declaration shares (docs/API.md), and nothing else: the base of the contract's models, the
one error body, path ids, and `responses()`, which declares every status a route gives. A route with no body of
its own (health, the JWKS) loads this, not the models and rules of every other route (`contract` and the
`*_contract` modules build on it). Also what only the OpenAPI document shows (`document_pattern`, `document_zones`),
made when a document is."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue
from pydantic.alias_generators import to_camel
from pydantic.config import JsonDict

from loyalty.domain.errors import NotFound
from loyalty.domain.ids import ID_MAX_LENGTH, id_pattern, is_id

JSON = "application/json"


class ContractModel(BaseModel):
    """A body on the wire: Python names inside, the contract's camelCase names outside, nothing undeclared."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        # Built on first use, not at import: a handler pays only for the models its own route validates.
        defer_build=True,
    )


def document_pattern(make: Callable[[], str]) -> Callable[[JsonDict], None]:
    """A field's `pattern` as only the OpenAPI document shows it (a validator checks the rule itself), made when
    a document is: the patterns naming Unicode classes scan the whole BMP, which no request needs."""

    def extra(schema: JsonDict) -> None:
        schema["pattern"] = make()

    return extra


def document_zones(schema: JsonDict) -> None:
    """A time zone field's `enum` in the document: the zones this runtime knows, read from the time zone database
    (a walk of its files) when a document is made, not at import."""
    from loyalty.domain.offers import known_timezones

    zones: list[JsonValue] = []
    zones.extend(sorted(known_timezones()))
    schema["enum"] = zones


# ------------------------------------------------------------------------------------------------ error body


class ErrorDetail(ContractModel):
    field: str = Field(description="Where the problem is, e.g. `tiers[1].minRewards` (request order)")
    message: str


class ErrorInfo(ContractModel):
    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$", description="UPPER_SNAKE, fixed by the contract")
    message: str = Field(description="For people; may change")
    details: list[ErrorDetail] = Field(description="Field errors of a 422; empty otherwise")


class ErrorBody(ContractModel):
    """Every error answer."""

    success: Literal[False]
    error: ErrorInfo


# ----------------------------------------------------------------------------------------------- parameters


def known_id(prefix: str, unknown: Callable[[], NotFound]) -> Callable[[Any], Any]:
    """Before the declared shape is checked: an id that cannot be one is the route's 404, not a 422."""

    def check(value: Any) -> Any:
        if not isinstance(value, str) or not is_id(value, prefix):
            raise unknown()
        return value

    return check


def id_path(prefix: str, what: str) -> Path:
    # The pattern goes in as schema text too: Powertools keeps a parameter's length bounds in the document but
    # not its `pattern`.
    pattern = id_pattern(prefix)
    return Path(
        pattern=pattern,
        max_length=ID_MAX_LENGTH,
        description=f"{what} id (`{prefix}_…`)",
        json_schema_extra={"pattern": pattern},
    )


# ----------------------------------------------------------------------------------------------- responses

_ERROR_MEANING = {
    400: "The body is not JSON (MALFORMED_JSON)",
    401: "No, invalid or expired bearer token (UNAUTHORIZED)",
    403: "Authenticated but not allowed: another role (FORBIDDEN)",
    404: "No such resource (or another business's)",
    409: "The state does not allow it",
    410: "Gone",
    413: "The body is too large (PAYLOAD_TOO_LARGE)",
    422: "The request is not valid (VALIDATION_ERROR, with one detail per field)",
    429: "Too many requests (TOO_MANY_REQUESTS); retry after `Retry-After` seconds",
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 0},
    }
}


def ok(model: type[BaseModel] | None, description: str) -> OpenAPIResponse:
    """A success answer: `model` as JSON, or no body at all (None)."""
    if model is None:
        # An empty content map, not none: Powertools would otherwise document the handler's return type.
        return {"description": description, "content": {}}
    return {"description": description, "content": {JSON: {"model": model}}}


def failure(
    status: int, description: str | None = None, model: type[ErrorBody] = ErrorBody
) -> OpenAPIResponse:
    """An error answer with the contract's error body (429 also names its Retry-After header)."""
    answer: OpenAPIResponse = {
        "description": description or _ERROR_MEANING[status],
        "content": {JSON: {"model": model}},
    }
    if status == 429:
        answer["headers"] = RETRY_AFTER  # type: ignore[typeddict-item]
    return answer


def responses(
    success: dict[int, OpenAPIResponse], *errors: int | tuple[int, OpenAPIResponse]
) -> dict[int, OpenAPIResponse]:
    """Every answer of a route: its successes, then its errors, each a status (the usual meaning and body) or a
    `(status, failure(...))` pair where the route says more (its own codes, a richer body)."""
    answers = dict(success)
    for error in errors:
        status, answer = error if isinstance(error, tuple) else (error, failure(error))
        answers[status] = answer
    return answers


# Route families declare their answers once: the pass actions (scan, confirm-prize, void) and the offer routes.
NO_PASS = (404, failure(404, "No such pass (PASS_NOT_FOUND)"))
PASS_EXPIRED = (410, failure(410, "The pass expired (PASS_EXPIRED)"))
NO_OFFER = (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)"))


def pass_action_responses(
    success: dict[int, OpenAPIResponse], conflict: OpenAPIResponse, *own: tuple[int, OpenAPIResponse]
) -> dict[int, OpenAPIResponse]:
    """A pass action's answers: its success, the refusals every action shares (no such pass, an expired one, a
    bad body or key), its own 409 and whatever else it says more about (`own` replaces a shared status)."""
    return responses(success, 400, 401, 403, NO_PASS, (409, conflict), PASS_EXPIRED, 413, 422, *own)


def offer_read_responses(success: dict[int, OpenAPIResponse]) -> dict[int, OpenAPIResponse]:
    """An offer route that takes no body: its success, or no token, not the business's role, no such offer."""
    return responses(success, 401, 403, NO_OFFER)


def offer_write_responses(
    success: dict[int, OpenAPIResponse], invalid: str | None = None
) -> dict[int, OpenAPIResponse]:
    """An owner's write of an offer with a body: the offer routes' refusals, and 422 said as the route says it."""
    return responses(
        success, 400, 401, 403, NO_OFFER, 413, (422, failure(422, invalid)) if invalid is not None else 422
    )
