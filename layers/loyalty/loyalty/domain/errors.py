"""Domain errors. Each carries the contract's error code and HTTP status, mapped to a response in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class DomainError(Exception):
    """Base of every error a client may cause. `extra` is merged into the error answer's top level; `headers`
    go with the answer (a 429's `Retry-After`)."""

    message: str
    code: str = "BAD_REQUEST"
    status: int = 400
    details: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    # Response headers the refusal comes with (Retry-After of a 429).
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def body(self) -> dict[str, Any]:
        """The contract's error answer: `{"success": false, "error": {"code", "message", "details"}}` + extra."""
        answer: dict[str, Any] = {
            "success": False,
            "error": {
                "code": self.code,
                "message": self.message,
                "details": [detail.as_dict() for detail in self.details],
            },
        }
        answer.update(self.extra)
        return answer


class MalformedRequest(DomainError):
    def __init__(self, message: str = "The request body is not valid JSON.") -> None:
        super().__init__(message, code="MALFORMED_JSON", status=400)


class Unauthorized(DomainError):
    def __init__(self, message: str = "A valid bearer token is required.") -> None:
        super().__init__(message, code="UNAUTHORIZED", status=401)


class Forbidden(DomainError):
    def __init__(self, message: str = "You are not allowed to do this.") -> None:
        super().__init__(message, code="FORBIDDEN", status=403)


class NotFound(DomainError):
    def __init__(self, message: str, code: str = "NOT_FOUND") -> None:
        super().__init__(message, code=code, status=404)


class Conflict(DomainError):
    def __init__(self, message: str, code: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=code, status=409, extra=extra or {})


class Gone(DomainError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code, status=410)


class ValidationFailed(DomainError):
    def __init__(self, details: list[FieldError], message: str = "The request is not valid.") -> None:
        super().__init__(message, code="VALIDATION_ERROR", status=422, details=details)


class InvalidCursor(DomainError):
    """A cursor this listing did not hand out (edited, forged or from another listing)."""

    def __init__(self) -> None:
        super().__init__(
            "This cursor was not handed out by this listing.",
            code="INVALID_CURSOR",
            status=400,
            details=[FieldError("cursor", "is not a cursor this listing handed out")],
        )
