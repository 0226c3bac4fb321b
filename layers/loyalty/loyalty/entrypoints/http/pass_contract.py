"""The pass actions' own declarations (docs/API.md: scan, void): their answers, the void's body, and the 409 that
shows where the card stands. Apart from `contract` so that a scan loads only what a scan declares."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.entrypoints.http.blocks import Progress, TierStandingAnswer
from loyalty.entrypoints.http.wire import ContractModel, ErrorBody

MAX_VOID_REASON_LENGTH = 200


def parse_void_reason(body: object) -> str | None:
    """The void body's optional reason (≤ 200 characters), every problem reported at once."""
    if body is None:
        return None
    if not isinstance(body, dict):
        raise ValidationFailed([FieldError("body", "must be a JSON object")])
    unknown = [FieldError(str(key), "is not a field of a void") for key in body if key != "reason"]
    reason = body.get("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason.strip()) > MAX_VOID_REASON_LENGTH):
        unknown.append(FieldError("reason", f"must be text of at most {MAX_VOID_REASON_LENGTH} characters"))
    if unknown:
        raise ValidationFailed(unknown)
    return reason.strip() or None if isinstance(reason, str) else None


class VoidRequest(ContractModel):
    reason: str | None = Field(default=None, max_length=MAX_VOID_REASON_LENGTH)

    @model_validator(mode="before")
    @classmethod
    def _domain_rules(cls, raw: Any) -> Any:
        return {"reason": parse_void_reason(raw)}


class PassConflictBody(ErrorBody):
    """A 409 of a pass: REWARD_READY and NOT_ENOUGH_STAMPS also show where the card stands; PASS_BUSY (others
    were changing the pass all along) does not."""

    progress: Progress | SkipJsonSchema[None] = None


class ScanAnswer(ContractModel):
    success: Literal[True]
    stamp_awarded: Literal[True]
    progress: Progress
    tier: TierStandingAnswer
    reward_ready: bool


class VoidAnswer(ContractModel):
    success: Literal[True]
    stamp_awarded: Literal[False]
    stamp_voided: Literal[True]
    progress: Progress
    tier: TierStandingAnswer
    reward_ready: bool
