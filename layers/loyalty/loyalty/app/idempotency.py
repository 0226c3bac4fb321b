"""Idempotency-Key semantics: a request's first answer is kept and replayed, in the same write as the change it
answers, so a retry gets that answer and changes nothing; the same key with another request is refused."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from loyalty.domain.errors import FieldError, ValidationFailed


class IdempotencyKeyReused(ValidationFailed):
    def __init__(self) -> None:
        super().__init__(
            [FieldError("Idempotency-Key", "already used for a different request")],
            "This Idempotency-Key was already used for a different request.",
            code="IDEMPOTENCY_KEY_REUSED",
        )


# Enrollments' keys, the public join form's: one scope for every offer (the offer's id is in the request's
# fingerprint), so the key sent again to join another offer is another request, 422 (decision 0020a). Records kept
# before that are under `<offerId>#enroll` (LEGACY_ENROLL_SCOPE) until their 24 h are up.
ENROLL_SCOPE = "enroll"
LEGACY_ENROLL_SCOPE = "{offer_id}#enroll"


@dataclass(frozen=True)
class IdempotentRequest:
    """A request under a key, within a scope (a business, or an offer's enrollment), fingerprinted by what it asks."""

    scope: str
    key: str
    fingerprint: str
    operation: str = ""

    @classmethod
    def of(cls, scope: str, key: str, operation: str, payload: Any) -> IdempotentRequest:
        canonical = json.dumps(
            [operation, payload], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return cls(scope, key, hashlib.sha256(canonical.encode()).hexdigest(), operation)


@dataclass(frozen=True)
class StoredAnswer:
    status: int
    body: dict[str, Any]
    # Sent with the first answer only (a Retry-After is stale by the time a retry replays it); never stored.
    headers: dict[str, str] = field(default_factory=dict)


# What a change made under no Idempotency-Key keeps: nothing (it is never written; no status is chosen for it).
NOTHING_KEPT = StoredAnswer(0, {})


@dataclass(frozen=True)
class Replayed:
    """A retry's answer: the key's first answer as it was kept, to be sent again as it is."""

    answer: StoredAnswer


@dataclass(frozen=True)
class RememberedAnswer:
    """The answer kept under a key, with the fingerprint of the request that got it (kept whole in an
    idempotency record, or its first FINGERPRINT_KEPT characters where the pass item keeps the key)."""

    fingerprint: str
    answer: StoredAnswer


@dataclass(frozen=True)
class RememberedStamp:
    """A key whose first answer was a stamp: the pass keeps the counts its answer showed (packed in one number,
    in the same write as the stamp), and the answer is drawn again from them; the version the stamp made is not
    kept (None; no answer shows it). Keys kept by earlier releases hold the version, and the oldest no counts
    (None): their answer is the pass at that version."""

    version: int | None
    current_stamps: int | None = None
    stamps_required: int | None = None
    rewards_claimed: int | None = None


@dataclass(frozen=True)
class RememberedChange:
    """A key whose first answer was a change the pass can draw its answer from again (a void): the pass keeps the
    request's fingerprint (a reuse with another reason is refused) and the version the change made, not the
    answer, which would take the pass past 1 KB and cost every later write of it twice (decision 0021a)."""

    fingerprint: str
    version: int


# What a pass or an idempotency record keeps of a key's first answer.
Remembered = RememberedAnswer | RememberedStamp | RememberedChange


# How much of a request's fingerprint a pass item keeps beside a stored answer (48 bits: it tells a key reused
# for another request from a retry; it is no secret).
FINGERPRINT_KEPT = 12


def replay(request: IdempotentRequest, remembered: RememberedAnswer) -> StoredAnswer:
    """The stored answer for a retry, or IdempotencyKeyReused when the key came with another request."""
    if not remembered.fingerprint or not request.fingerprint.startswith(remembered.fingerprint):
        raise IdempotencyKeyReused()
    return remembered.answer
