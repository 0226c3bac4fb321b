"""Everything the use cases need from the world outside, and the records they exchange with it.

Use cases (`loyalty.app.*`) speak only these Protocols and values; the adapters (`loyalty.adapters.*`) satisfy
them and alone know about items, keys, HTTP and queues. `loyalty.bootstrap` picks the adapters for a function,
`tests/support/fakes.py` offers in-memory ones for fast tests. import-linter keeps the use cases from reaching
past this module (pyproject.toml, `[tool.importlinter]`). Time is a port too: a `loyalty.domain.clock.Clock`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Literal, Protocol

from loyalty.app.idempotency import IdempotentRequest, RememberedAnswer, RememberedStamp, StoredAnswer
from loyalty.domain.credentials import ONCHAIN, Issuance
from loyalty.domain.offers import Offer, OfferEdit
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.recovery import Mail, RecoveryLink
from loyalty.domain.stats import DateRange, Tally
from loyalty.domain.tiers import TierConfig, TierStanding, TierUpgrade

if TYPE_CHECKING:
    # wallet_refresh speaks these ports itself.
    from loyalty.app.wallet_refresh import RefreshMessage


# ------------------------------------------------------------------------------------------------ passes
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

    card: Pass
    expected_version: int | None  # None: the pass must not exist yet
    note: ChangeNote
    answer: StoredAnswer
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


@dataclass(frozen=True)
class StampOutcome:
    """What the one write did. `card` is the pass after the stamp when `stamped`, otherwise the pass as the
    refused write found it (None: no such pass); `remembered` is the key's first answer when it had one."""

    stamped: bool
    card: Pass | None
    remembered: RememberedAnswer | RememberedStamp | None = None


@dataclass(frozen=True)
class Snapshot:
    """What one consistent read saw of what the caller named."""

    card: Pass | None = None
    offer: Offer | None = None
    # The id the business already knows the asked-about email by, if any.
    customer_id: str | None = None
    # The idempotency key's first answer, while it lives.
    remembered: RememberedAnswer | RememberedStamp | None = None


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

    def commit(self, change: PassChange) -> None:
        """Write the change atomically, or raise WriteConflict when anything it was based on has moved."""
        ...

    def stamp(self, attempt: StampAttempt) -> StampOutcome:
        """The scan's one conditional write (see StampAttempt); a refused write reports the pass as it found it.
        WriteConflict when the fast write cannot express this stamp (a cycle starting on a changed requirement,
        an item from before this layout): read, decide and commit instead."""
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


class CredentialOnUpgrade(Protocol):
    """What confirm-prize asks when a claim crosses a tier: the issuance to start with it, if any."""

    def __call__(self, card: Pass, upgrade: TierUpgrade, at: str) -> StartedIssuance | None: ...


# An offer by id as a hot path reads it (None: no such offer); bootstrap gives a short-lived per-container cache.
OfferLookup = Callable[[str], Offer | None]
# A pass's `wallet` block of the enroll answer (`appleWalletUrl`, `googleWalletSaveUrl`), None when no wallet is on.
WalletLinks = Callable[[Pass], dict[str, str] | None]
# Makes the wallets' copies of a pass exist before the answer carrying their links leaves (Google's save link
# names an object that must already be there).
WalletsReady = Callable[[Offer, Pass], None]


# ------------------------------------------------------------------------------------------------ offers
@dataclass(frozen=True)
class OfferPage:
    offers: list[Offer]
    next_cursor: str | None


class OfferSource(Protocol):
    def get(self, offer_id: str) -> Offer | None: ...


class OfferStore(OfferSource, Protocol):
    def add(self, offer: Offer) -> None: ...

    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OfferPage: ...

    def set_tiers(self, offer_id: str, business_id: str, config: TierConfig | None, *, at: str) -> Offer:
        """Replace (None: remove) the ladder; OfferNotFound when missing or of another business."""
        ...

    def edit(self, offer_id: str, business_id: str, edit: OfferEdit, *, at: str) -> Offer:
        """Change only the fields the edit names; OfferNotFound when missing or of another business."""
        ...

    # Creation an Idempotency-Key makes safe to retry.
    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None: ...

    def add_answering(
        self, offer: Offer, request: IdempotentRequest, answer: StoredAnswer, *, at: str, ttl_hours: int
    ) -> StoredAnswer: ...


# ------------------------------------------------------------------------------------------------ operations
class StatsCounters(Protocol):
    """The counters an offer's changes kept (docs/decisions/0007-stats-counters.md)."""

    def read(self, offer_id: str, span: DateRange) -> tuple[dict[str, Counter[str]], Counter[str]]: ...


@dataclass
class MembersPage:
    offer: Offer | None
    passes: list[Pass]
    next_cursor: str | None


class Members(Protocol):
    """An offer's members, most recently enrolled first (the offer read with them)."""

    def page(
        self, offer_id: str, *, status: PassStatus | None, limit: int, cursor: str | None
    ) -> MembersPage: ...

    def one(self, offer_id: str, business_id: str, q: str) -> MembersPage: ...


@dataclass(frozen=True)
class IssuancePage:
    issuances: list[Issuance]
    next_cursor: str | None


class CustomerRecords(Protocol):
    """A customer of a business across its offers, and what their erasure rewrites."""

    def passes(self, business_id: str, customer_id: str) -> list[Pass]: ...

    def enroll_keys(self, card: Pass) -> list[str]: ...

    def forget_enroll_answers(self, card: Pass, idempotency_keys: list[str]) -> None: ...

    def forget_customer_record(self, business_id: str, email: str, customer_id: str) -> None: ...

    def anonymise_issuances(self, card: Pass) -> None: ...

    def issuances(self, customer_id: str, *, limit: int, cursor: str | None) -> IssuancePage: ...


class WalletPreviews(Protocol):
    """What each wallet would show of a pass, built by the code that builds the real passes."""

    def apple(self, card: Pass, offer: Offer, standing: TierStanding, language: str) -> dict[str, Any]: ...

    def google(self, card: Pass, standing: TierStanding) -> dict[str, Any]: ...


# ------------------------------------------------------------------------------------------------ expiry
@dataclass(frozen=True)
class IdlePass:
    """One activity-index entry below the cutoff: a candidate for expiry, not a verdict.

    The index knows only the week of the pass's last activity (`active_week`, the Monday's `YYYY-MM-DD`, UTC), not
    the moment: a pass active in the cutoff's own week is a candidate whether its activity came before the cutoff
    or after it. Whoever acts on a candidate reads the pass and judges its real `lastActivityAt`."""

    customer_id: str
    offer_id: str
    active_week: str


@dataclass(frozen=True)
class IdlePage:
    passes: list[IdlePass]
    # Where the next page starts (opaque to the use case); None once the shard holds nothing more below the cutoff.
    resume_after: dict[str, Any] | None
    items_read: int


class ExpiryOutcome(Enum):
    EXPIRED = "expired"
    # Activity landed after the index was read (a scan, a prize, a re-enrollment): the pass stays active.
    RECENT_ACTIVITY = "recentActivity"
    # Already expired or gone, e.g. by an overlapping run, or an index entry that was still catching up.
    NOT_ACTIVE = "notActive"


class IdlePassIndex(Protocol):
    shards: int

    def idle_page(
        self, shard: int, cutoff_iso: str, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage: ...

    def expire(self, idle: IdlePass, cutoff_iso: str, now_iso: str) -> ExpiryOutcome: ...

    def judge(self, idle: IdlePass, cutoff_iso: str) -> ExpiryOutcome:
        """What `expire` would do to the pass as it is now (EXPIRED: it would expire), writing nothing."""
        ...


# ------------------------------------------------------------------------------------------------ credentials
class IssuanceStore(Protocol):
    def create(self, issuance: Issuance, recipient_email: str) -> bool:
        """Write a new issuance; False when one with this id already exists (nothing changes then)."""
        ...

    def get(self, issuance_id: str) -> Issuance | None: ...

    def with_recipient(self, issuance_id: str) -> tuple[Issuance, str]: ...

    def count_attempt(self, issuance_id: str, at: str) -> Issuance:
        """One more submission attempt, marked as possibly accepted (`maybe_accepted`) before it leaves."""
        ...

    def attempt_refused(self, issuance_id: str) -> None:
        """The last attempt was clearly not taken, and none before it was in doubt: take the mark back."""
        ...

    def move(
        self,
        issuance_id: str,
        status: str,
        at: str,
        *,
        core_claim_hash: str | None = None,
        error: str | None = None,
    ) -> Issuance: ...

    def of_pass(self, customer_id: str, offer_id: str) -> list[Issuance]:
        """Every issuance of a pass, oldest first."""
        ...


@dataclass(frozen=True)
class Accepted:
    """AIR Kit took the credential; it goes on chain later."""

    core_claim_hash: str
    user_uuid: str | None


@dataclass(frozen=True)
class AlreadyIssued:
    """Under `onDuplicate: "ignore"`: the user already holds this program's credential (kept as it is)."""

    core_claim_hash: str | None
    message: str


@dataclass(frozen=True)
class CredentialStatus:
    core_claim_hash: str
    vc_status: str
    vc_id: str | None

    @property
    def on_chain(self) -> bool:
        return self.vc_status == ONCHAIN


# What AIR Kit does when the customer already holds this program's credential: revoke it and issue anew, or keep
# it and answer AlreadyIssued (for a resubmit after a lost answer).
OnDuplicate = Literal["revoke", "ignore"]


class CredentialApiUnavailable(Exception):
    """Transient: the credential service was throttling, failing, unreachable or too slow (the adapter's own
    exception subclasses this). `maybe_accepted`: the request reached it and no clear refusal came back, so the
    credential may have been issued."""

    maybe_accepted: bool = False


class CredentialApi(Protocol):
    """AIR Kit: issue on behalf of a customer, and read an issuance's status."""

    def issue_on_behalf(
        self, email: str, subject: dict[str, object], on_duplicate: OnDuplicate = "revoke"
    ) -> Accepted | AlreadyIssued: ...

    def credential_status(self, core_claim_hash: str, email: str | None) -> CredentialStatus: ...


class WorkflowNotStarted(Exception):
    """The workflow service refused or failed the start; the record that asked for it is handed back."""

    def __init__(self, issuance_id: str, reason: str) -> None:
        super().__init__(f"workflow of {issuance_id} not started: {reason}")
        self.reason = reason


class CredentialWorkflows(Protocol):
    """Starts an issuance's workflow, named after it so that a second start of one issuance starts nothing."""

    def start(self, issuance_id: str) -> bool:
        """True when started now, False when it had been started before; WorkflowNotStarted when refused."""
        ...


# ------------------------------------------------------------------------------------------------ wallets
class PassChangeNotifier(Protocol):
    """Apple Wallet's side: every device holding the pass is told to fetch it again."""

    def pass_changed(self, customer_id: str, offer_id: str) -> None: ...


class GoogleWalletUpdater(Protocol):
    def ensure_class(self, offer: Offer) -> None: ...
    def update_class(self, offer: Offer) -> None: ...
    def ensure_object(self, offer: Offer, card: Pass, standing: TierStanding) -> None: ...
    def update(self, offer: Offer, card: Pass, standing: TierStanding, *, notify: bool) -> None: ...


class LadderChangeListener(Protocol):
    """Told when an offer's tier ladder or its texts changed: every wallet of the offer must be redrawn
    (wallet_refresh)."""

    def ladder_changed(self, offer: Offer) -> None: ...


@dataclass(frozen=True)
class CustomerPage:
    customer_ids: list[str]
    # Where the next page starts when there may be more (opaque: the store's position, not always a listed id).
    after: str | None


class OfferPasses(Protocol):
    def customer_ids(self, offer_id: str, *, after: str | None, limit: int) -> CustomerPage: ...
    def redraw(self, customer_id: str, offer_id: str, at: str) -> Pass | None: ...
    def passes(self, offer_id: str, customer_ids: Sequence[str]) -> dict[str, Pass]: ...


class RefreshQueue(Protocol):
    def send(self, messages: Sequence[RefreshMessage]) -> None: ...


# ------------------------------------------------------------------------------------------------ table changes
@dataclass(frozen=True)
class OfferWritten:
    """An offer as the table's stream shows it written (`old` None for a new offer)."""

    old: Offer | None
    new: Offer


@dataclass(frozen=True)
class PassWritten:
    old: Pass | None
    new: Pass
    change: ChangeNote | None = None


@dataclass(frozen=True)
class LedgerEntry:
    """One pass change as the ledger records it (docs/decisions/0011-ledger-from-the-stream.md): its audit event
    (the pass as the change left it, and what the change was) and what it adds to the offer's counters on `day`,
    the change's calendar day in the offer's time zone."""

    card: Pass
    note: ChangeNote
    day: str
    counted: Tally


class Ledger(Protocol):
    """Writes pass changes' audit events and stats counters, each change exactly once however often it is
    handed over: an entry whose event is already written is skipped, counters and all."""

    def write(self, entries: Sequence[LedgerEntry]) -> int:
        """Write the entries in order; how many of them, from the first, are now written (all of them, or fewer
        when the rest could not be: those must be handed over again)."""
        ...


class TableChange(Protocol):
    """One record of the table's stream, read only when handled, so a record that cannot be read comes back
    like any other failure."""

    @property
    def sequence_number(self) -> str: ...

    def written(self) -> OfferWritten | PassWritten | None:
        """The offer or pass written; None for anything else (removals, other items)."""
        ...

    def created_issuance(self) -> str | None:
        """The id of the credential issuance this record shows created, if it does."""
        ...


class RecoveryLinks(Protocol):
    """Mailed pass-recovery links, kept by their token's digest only."""

    def create(self, link: RecoveryLink) -> None: ...

    def find(self, token_digest: str) -> RecoveryLink | None: ...


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...
