"""Refusals as the contract answers them: the status of each kind of domain error, the one error body, and
`Retry-After`. Apart from the renderer (`render`) so that the HTTP edge (`api.new_api`) can answer any refusal
without loading every route's results: a handler's cold start pays for the answers of its own routes only."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from loyalty.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Gone,
    InvalidCursor,
    MalformedRequest,
    NotFound,
    TooSoon,
    Unauthorized,
    ValidationFailed,
)

if TYPE_CHECKING:
    from loyalty.domain.passes import Pass

JSON = "application/json"

# Each kind of refusal and its status; a subclass takes the status of its nearest kind listed here (an
# Idempotency-Key used for another request is a ValidationFailed: 422).
STATUS_OF_KIND: dict[type[DomainError], int] = {
    MalformedRequest: 400,
    InvalidCursor: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Gone: 410,
    ValidationFailed: 422,
    TooSoon: 429,
}
# A domain error of no listed kind: the client's request was wrong in some other way.
DEFAULT_REFUSAL_STATUS = 400


def status_of(error: DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in STATUS_OF_KIND:
            return STATUS_OF_KIND[kind]
    return DEFAULT_REFUSAL_STATUS


def field_error(detail: FieldError) -> dict[str, str]:
    return {"field": detail.field, "message": detail.message}


def progress_block(pass_: Pass) -> dict[str, int]:
    return {
        "currentStamps": pass_.current_stamps,
        "maxStamps": pass_.stamps_required,
        "rewardsClaimed": pass_.rewards_claimed,
        "stampsEarned": pass_.current_stamps,
        "stampsRequired": pass_.stamps_required,
    }


def error_body(error: DomainError) -> dict[str, Any]:
    """The contract's error answer: `{"success": false, "error": {"code", "message", "details"}}`, and the card's
    `progress` beside it when the refusal is about the card's progress (a full card, a card short of stamps)."""
    body: dict[str, Any] = {
        "success": False,
        "error": {
            "code": error.code,
            "message": error.message,
            "details": [field_error(detail) for detail in error.details],
        },
    }
    if isinstance(
        error, Conflict
    ):  # only a conflict can be about the card's progress: the pass's rules load then
        from loyalty.domain.passes import RefusedOnProgress

        if isinstance(error, RefusedOnProgress):
            body["progress"] = progress_block(error.pass_)
    return body


def retry_after(error: DomainError) -> dict[str, str]:
    """`Retry-After` of a refusal that names a wait (sent with the first answer only, never kept)."""
    return {"Retry-After": str(error.retry_after_seconds)} if error.retry_after_seconds is not None else {}


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
        headers=headers,
    )


def refusal(error: DomainError) -> Response[Any]:
    """A domain error as the contract answers it."""
    return json_response(status_of(error), error_body(error), retry_after(error) or None)
