"""Ports of the pass actions: the pass store, its change records and the stamp's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from loyalty.app.idempotency import NOTHING_KEPT, IdempotentRequest, Remembered, StoredAnswer
from loyalty.domain.credentials import Issuance
from loyalty.domain.errors import DomainError
from loyalty.domain.offers import Offer
from loyalty.domain.pass_results import HistoryEvent, PassResult
from loyalty.domain.passes import Pass, StampTerms
from loyalty.domain.tiers import TierUpgrade

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    pass


class WriteConflict(Exception):
    """Something the change was based on moved (another scan, a retry with the same key): read again."""


@dataclass(frozen=True)
class ChangeNote:
    """What a pass write was, carried by the pass item itself (its `chg`), so that the table's stream can write
    the audit event and the stats counters of the change (the ledger, docs/decisions/0011) and the request
    writes one item. The moment is the pass's `updated_at`; the counts are the pass's own."""

    kind: str  # ENROLL, REACTIVATE, STAMP, VOID, PRIZE, EXPIRE, ERASE
    actor: str
    branch_id: str | None = None
    reason: str | None = None
    tier_upgrade: bool = False
    # An enrollment's Idempotency-Key: its stored answer names the customer, so erasure finds it by the event.
    idempotency_key: str | None = None


@dataclass(frozen=True)
class NewCustomer:
    """A customer a business meets for the first time (one per business and email), created with their pass."""

    customer_id: str
    business_id: str
    email: str
    name: str
    created_at: str


@dataclass(frozen=True)
class StartedIssuance:
    """A credential issuance that a tier upgrade starts, written atomically with the claim (the outbox)."""

    issuance: Issuance
    recipient_email: str

    def answer(self) -> dict[str, str]:
        return {"issuanceId": self.issuance.issuance_id, "status": self.issuance.status}


@dataclass(frozen=True)
class PassChange:
    """One atomic change: the pass as it becomes (and the version it must still be at), what the change was
    (its audit event and stats follow from the stream), the answer to remember for the idempotency key, and
    whatever else must be written with it or not at all."""

    pass_: Pass
    expected_version: int | None  # None: the pass must not exist yet
    note: ChangeNote
    # The answer the request's Idempotency-Key keeps; a change made under no key keeps none.
    answer: StoredAnswer = NOTHING_KEPT
    request: IdempotentRequest | None = None
    new_customer: NewCustomer | None = None
    issuance: StartedIssuance | None = None
    # A stamp under a cooldown: the write holds only while the pass's last stamp is at or before this moment.
    last_stamp_not_after: str | None = None


@dataclass(frozen=True)
class StampAttempt:
    """A scan as one conditional write: the pass gains a stamp only if it exists, belongs to the business, is
    active, is not full, is past the cooldown, starts its cycle with the offer's requirement, and the key is
    unused. Nothing is read first."""

    customer_id: str
    offer_id: str
    business_id: str
    at: str
    note: ChangeNote
    # The offer's requirement of the moment, which a cycle's first stamp takes (None: the offer is unknown).
    offer_stamps_required: int | None
    last_stamp_not_after: str | None
    request: IdempotentRequest | None = None

    @property
    def terms(self) -> StampTerms:
        """What the domain's stamp rules judge the pass against (domain/passes.StampRule)."""
        return StampTerms(self.business_id, self.at, self.offer_stamps_required, self.last_stamp_not_after)


@dataclass(frozen=True)
class StampOutcome:
    """What the one write did. `card` is the pass after the stamp when `stamped`, otherwise the pass as the
    refused write found it (None: no such pass); `remembered` is the key's first answer when it had one."""

    stamped: bool
    pass_: Pass | None
    remembered: Remembered | None = None


@dataclass(frozen=True)
class Snapshot:
    """What one consistent read saw of what the caller named."""

    pass_: Pass | None = None
    offer: Offer | None = None
    # The id the business already knows the asked-about email by, if any.
    customer_id: str | None = None
    # The idempotency key's first answer, while it lives.
    remembered: Remembered | None = None


class PassStore(Protocol):
    def snapshot(
        self,
        *,
        pass_key: tuple[str, str] | None = None,
        offer_id: str | None = None,
        customer_of: tuple[str, str] | None = None,
        request: IdempotentRequest | None = None,
        at: str | None = None,
    ) -> Snapshot:
        """One strongly consistent read of the pass (customer id, offer id), the offer, the customer a business
        (business id, email) knows, and the live answer remembered for `request` — whichever are named. A
        request about a pass finds its answer kept in the pass, as of `at`."""
        ...

    def get_pass(self, customer_id: str, offer_id: str) -> Pass | None: ...

    def remember(self, request: IdempotentRequest, answer: StoredAnswer, at: str) -> StoredAnswer:
        """Keep `answer` as the key's first answer; the answer to give (another request with the key may have
        stored its own first). WriteConflict when the key is held by nothing readable any more."""
        ...

    def remember_on_pass(
        self, address: tuple[str, str], request: IdempotentRequest, answer: StoredAnswer, at: str
    ) -> StoredAnswer:
        """Keep a refusal as the key's first answer inside the pass (one conditional write); the answer to give
        (a concurrent request with the key may have kept its own first)."""
        ...

    def claim_key(self, address: tuple[str, str], request: IdempotentRequest, at: str) -> None:
        """Hold a free-form key (one that names no pass, decision 0020a) for this request on this pass, before the
        request's write: one conditional write of a small key item, kept as long as the contract keeps keys. Holds
        again for the same request on the same pass (a retry, or one whose write never landed); raises
        IdempotencyKeyReused when the key is held for another pass or another request."""
        ...

    def commit(self, change: PassChange) -> None:
        """Write the change atomically, or raise WriteConflict when anything it was based on has moved."""
        ...

    def stamp(self, attempt: StampAttempt) -> StampOutcome:
        """The scan's one conditional write (see StampAttempt); a refused write reports the pass as it found it
        (and the key's first answer, when the key was used): the domain says why, or (a cycle starting on a
        changed requirement, which the one write cannot express) the stamp is read, decided and committed."""
        ...

    def pass_at_version(self, customer_id: str, offer_id: str, version: int) -> Pass | None:
        """The pass with the counts it had at `version` (its audit event once the ledger has written it; the
        pass itself while it is still at that version); None while neither is readable yet."""
        ...


class PassEvents(Protocol):
    """A pass and its audit trail (pass history)."""

    def snapshot(self, *, pass_key: tuple[str, str] | None = None) -> Snapshot: ...

    def events(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of the pass's events, newest first, and the sort key to continue after (None: no more)."""
        ...

    def history(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[HistoryEvent], str | None]:
        """The same page as the audit trail shows it."""
        ...


class CredentialOnUpgrade(Protocol):
    """What confirm-prize asks when a claim crosses a tier: the issuance to start with it, if any."""

    def __call__(self, pass_: Pass, upgrade: TierUpgrade, at: str) -> StartedIssuance | None: ...


class AnswerRenderer(Protocol):
    """The contract's answer to a pass action's result or refusal, exactly as the HTTP edge sends it: what an
    Idempotency-Key keeps, so that a retry gets the first answer byte for byte."""

    def __call__(self, outcome: PassResult | DomainError) -> StoredAnswer: ...
