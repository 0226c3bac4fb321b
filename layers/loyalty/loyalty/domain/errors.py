"""Domain errors: what a client may cause, in the domain's words. Each carries the contract's error code, the
fields at fault and when trying again may succeed; none carries an HTTP status or header. The kind of a
refusal is its class (not found, a conflict with the state, gone, invalid, forbidden, too soon ...), and one
renderer (`loyalty.entrypoints.http.render`) turns each kind into the contract's status and body."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    """Base of every error a client may cause; `retry_after_seconds` says when trying again may succeed. A
    refusal that tells more (a full card's progress) is a subclass holding it in the domain's words."""

    message: str
    code: str = "BAD_REQUEST"
    details: list[FieldError] = field(default_factory=list)
    retry_after_seconds: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)


class MalformedRequest(DomainError):
    def __init__(self, message: str = "The request body is not valid JSON.") -> None:
        super().__init__(message, code="MALFORMED_JSON")


class Unauthorized(DomainError):
    def __init__(self, message: str = "A valid bearer token is required.") -> None:
        super().__init__(message, code="UNAUTHORIZED")


class Forbidden(DomainError):
    def __init__(self, message: str = "You are not allowed to do this.", code: str = "FORBIDDEN") -> None:
        super().__init__(message, code=code)


class NotFound(DomainError):
    def __init__(self, message: str, code: str = "NOT_FOUND") -> None:
        super().__init__(message, code=code)


class Conflict(DomainError):
    """The state refuses the change (a full card, nothing to void, others changing the pass)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


class Gone(DomainError):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, code=code)


class ValidationFailed(DomainError):
    def __init__(
        self,
        details: list[FieldError],
        message: str = "The request is not valid.",
        code: str = "VALIDATION_ERROR",
    ) -> None:
        super().__init__(message, code=code, details=details)


class TooSoon(DomainError):
    """Not now: the same request may succeed after `retry_after_seconds`."""

    def __init__(
        self, message: str, code: str, retry_after_seconds: int, details: list[FieldError] | None = None
    ):
        super().__init__(message, code=code, details=details or [], retry_after_seconds=retry_after_seconds)


class InvalidCursor(DomainError):
    """A cursor this listing did not hand out (edited, forged or from another listing)."""

    def __init__(self) -> None:
        super().__init__(
            "This cursor was not handed out by this listing.",
            code="INVALID_CURSOR",
            details=[FieldError("cursor", "is not a cursor this listing handed out")],
        )
