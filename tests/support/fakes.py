"""In-memory ports (`loyalty.app.ports`) for fast tests of the use cases: no DynamoDB, no network, milliseconds.
Every fake of a port lives here.

They keep the promises the DynamoDB adapters keep, because the use cases rely on them: a commit on a version
that has moved raises WriteConflict and writes nothing; an idempotency record holds its key until it expires,
and a refusal is remembered only if the key is free.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from loyalty.app.idempotency import (
    FINGERPRINT_KEPT,
    IdempotencyKeyReused,
    IdempotentRequest,
    Remembered,
    RememberedAnswer,
    RememberedChange,
    RememberedStamp,
    StoredAnswer,
    replay,
)
from loyalty.app.ports.brand import UploadForm
from loyalty.app.ports.customers import MembersRead
from loyalty.app.ports.directory import DirectoryUpdate
from loyalty.app.ports.ledger import LedgerEntry, OfferWritten, PassWritten
from loyalty.app.ports.offers import OffersRead
from loyalty.app.ports.passes import (
    ChangeNote,
    PassChange,
    Snapshot,
    StampAttempt,
    StampOutcome,
    StartedIssuance,
    WriteConflict,
)
from loyalty.app.ports.wallets import CustomerPage
from loyalty.app.wallets.refresh import RefreshMessage
from loyalty.domain.brand import Brand, BusinessProfile, UnusableImage
from loyalty.domain.clock import parse_iso
from loyalty.domain.member_search import DirectoryRange
from loyalty.domain.offers import Offer, OfferChanges, OfferNotFound
from loyalty.domain.passes import MAX_STAMP_MARKS, Pass, PassStatus, StampMark, broken_stamp_rules
from loyalty.domain.throttle import RateLimit, TooManyRequests
from loyalty.domain.tiers import TierConfig, TierStanding


@dataclass
class FrozenClock:
    """A `Clock` that moves only when told to."""

    now: datetime = field(default_factory=lambda: datetime(2027, 3, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class _Record:
    remembered: RememberedAnswer
    expires_at: datetime


class InMemoryPassStore:
    """A `PassStore`: passes, offers, customers, idempotency records, audit events and started issuances.

    `meanwhile` holds what other writers do between this store's next reads and its next commit: each commit first
    runs (and drops) the oldest of them, as a concurrent request landing in that gap would.
    """

    def __init__(
        self, clock: Callable[[], datetime], idempotency_ttl: timedelta = timedelta(hours=24)
    ) -> None:
        self._clock = clock
        self._ttl = idempotency_ttl
        self.passes: dict[tuple[str, str], Pass] = {}
        self.offers: dict[str, Offer] = {}
        self.customers: dict[tuple[str, str], str] = {}
        self.records: dict[tuple[str, str], _Record] = {}
        # Keys kept inside passes: (pass, scope, key) -> (first answer, UTC day used).
        self.pass_keys: dict[tuple[tuple[str, str], str, str], tuple[Remembered, date]] = {}
        self.versions: dict[tuple[str, str, int], Pass] = {}
        # Free-form keys claimed (scope, key) -> (pass, request fingerprint, expiry), and the claims written.
        self.claims: dict[tuple[str, str], tuple[tuple[str, str], str, datetime]] = {}
        self.claim_writes = 0
        self.stamps = 0
        # What each write named (kind, actor, branch): the ledger's events, which the fake has at once.
        self.events: list[ChangeNote] = []
        self.issuances: list[StartedIssuance] = []
        self.meanwhile: list[Callable[[InMemoryPassStore], None]] = []
        self.commits = 0
        self.conflicts = 0

    # -------------------------------------------------------------------------------- setting the scene
    def add_offer(self, offer: Offer) -> Offer:
        self.offers[offer.offer_id] = offer
        return offer

    def add_pass(self, pass_: Pass) -> Pass:
        self.passes[(pass_.customer_id, pass_.offer_id)] = pass_
        self.versions[(pass_.customer_id, pass_.offer_id, pass_.version)] = pass_
        return pass_

    # -------------------------------------------------------------------------------- the port
    def _live(self, request: IdempotentRequest) -> RememberedAnswer | None:
        record = self.records.get((request.scope, request.key))
        if record is None or record.expires_at < self._clock():
            return None
        return record.remembered

    def _kept_on_pass(
        self, address: tuple[str, str], request: IdempotentRequest, at: str | None = None
    ) -> Remembered | None:
        """A key kept inside a pass holds from the day it was used to the end of the next (UTC)."""
        kept = self.pass_keys.get((address, request.scope, request.key))
        if kept is None:
            return None
        remembered, day = kept
        today = parse_iso(at).date() if at else self._clock().date()
        return remembered if (today - day).days <= 1 else None

    def snapshot(
        self,
        *,
        pass_key: tuple[str, str] | None = None,
        offer_id: str | None = None,
        customer_of: tuple[str, str] | None = None,
        request: IdempotentRequest | None = None,
        at: str | None = None,
    ) -> Snapshot:
        remembered: Remembered | None = None
        if request is not None:
            remembered = self._kept_on_pass(pass_key, request, at) if pass_key else self._live(request)
        return Snapshot(
            pass_=self.passes.get(pass_key) if pass_key else None,
            offer=self.offers.get(offer_id) if offer_id else None,
            customer_id=self.customers.get(customer_of) if customer_of else None,
            remembered=remembered,
        )

    def get_pass(self, customer_id: str, offer_id: str) -> Pass | None:
        return self.passes.get((customer_id, offer_id))

    def _hold(self, request: IdempotentRequest, answer: StoredAnswer) -> None:
        self.records[(request.scope, request.key)] = _Record(
            RememberedAnswer(request.fingerprint, answer), self._clock() + self._ttl
        )

    def _keep(self, address: tuple[str, str], request: IdempotentRequest, kept: Remembered) -> None:
        self.pass_keys[(address, request.scope, request.key)] = (kept, self._clock().date())

    def remember(self, request: IdempotentRequest, answer: StoredAnswer, at: str) -> StoredAnswer:
        self._others_write()
        held = self._live(request)
        if held is not None:
            return replay(request, held)
        self._hold(request, answer)
        return answer

    def remember_on_pass(
        self, address: tuple[str, str], request: IdempotentRequest, answer: StoredAnswer, at: str
    ) -> StoredAnswer:
        self._others_write()
        stored = self.passes.get(address)
        if stored is None or stored.business_id != request.scope:
            raise WriteConflict()
        held = self._kept_on_pass(address, request, at)
        if isinstance(held, RememberedAnswer):
            return replay(request, held)
        if held is not None:
            raise WriteConflict()
        self._keep(address, request, RememberedAnswer(request.fingerprint[:FINGERPRINT_KEPT], answer))
        return answer

    def claim_key(self, address: tuple[str, str], request: IdempotentRequest, at: str) -> None:
        """A free-form key's claim, as the key item's condition holds it (adapters/dynamodb/key_claims.py)."""
        held = self.claims.get((request.scope, request.key))
        if held is not None and held[2] >= self._clock() and held[:2] != (address, request.fingerprint):
            raise IdempotencyKeyReused()
        self.claims[(request.scope, request.key)] = (address, request.fingerprint, self._clock() + self._ttl)
        self.claim_writes += 1

    def stamp(self, attempt: StampAttempt) -> StampOutcome:
        """The one conditional write, its conditions checked as DynamoDB checks them."""
        self._others_write()
        address = (attempt.customer_id, attempt.offer_id)
        stored = self.passes.get(address)
        if stored is None:
            return StampOutcome(stamped=False, pass_=None)
        held = self._kept_on_pass(address, attempt.request, attempt.at) if attempt.request else None
        # The domain's own rules, as the DynamoDB condition states them (adapters/dynamodb/stamp_conditions.py).
        if held is not None or broken_stamp_rules(stored, attempt.terms):
            return StampOutcome(stamped=False, pass_=stored, remembered=held)
        marks = (*stored.cycle_stamps, StampMark(attempt.at, attempt.note.branch_id))[-MAX_STAMP_MARKS:]
        stamped = replace(
            stored,
            current_stamps=stored.current_stamps + 1,
            lifetime_stamps=stored.lifetime_stamps + 1,
            version=stored.version + 1,
            last_activity_at=attempt.at,
            updated_at=attempt.at,
            last_stamp_at=attempt.at,
            cycle_stamps=marks,
        )
        self._write(stamped, attempt.note)
        if attempt.request is not None:
            # As the pass keeps it: the counts the stamp made, not its version (adapters/dynamodb/pass_keys.py).
            kept = RememberedStamp(
                None, stamped.current_stamps, stamped.stamps_required, stamped.rewards_claimed
            )
            self._keep(address, attempt.request, kept)
        self.stamps += 1
        return StampOutcome(stamped=True, pass_=stamped)

    def pass_at_version(self, customer_id: str, offer_id: str, version: int) -> Pass | None:
        return self.versions.get((customer_id, offer_id, version))

    def commit(self, change: PassChange) -> None:
        self._others_write()
        address = (change.pass_.customer_id, change.pass_.offer_id)
        stored = self.passes.get(address)
        moved = (
            stored is not None
            if change.expected_version is None
            else (stored is None or stored.version != change.expected_version)
        )
        if change.request is None:
            taken_key = False
        elif change.expected_version is None:
            taken_key = self._live(change.request) is not None
        else:
            taken_key = self._kept_on_pass(address, change.request, change.pass_.updated_at) is not None
        customer = change.new_customer
        taken_email = customer is not None and (customer.business_id, customer.email) in self.customers
        started = change.issuance
        issuance_exists = started is not None and any(
            s.issuance.issuance_id == started.issuance.issuance_id for s in self.issuances
        )
        # A stamp under a cooldown: the write holds only while the pass's last stamp is not after the threshold.
        too_soon = (
            change.last_stamp_not_after is not None
            and stored is not None
            and stored.last_stamp_at is not None
            and stored.last_stamp_at > change.last_stamp_not_after
        )
        if moved or taken_key or taken_email or issuance_exists or too_soon:
            self.conflicts += 1
            raise WriteConflict()
        self._write(change.pass_, change.note)
        if change.request is not None:
            if change.expected_version is None:
                self._hold(change.request, change.answer)
            else:
                fingerprint = change.request.fingerprint[:FINGERPRINT_KEPT]
                drawn_again = change.request.operation == "void-stamp" and change.answer.status == 200
                kept: Remembered = (
                    RememberedChange(fingerprint, change.pass_.version)
                    if drawn_again
                    else RememberedAnswer(fingerprint, change.answer)
                )
                if change.request.operation == "scan" and change.answer.status == 200:
                    pass_ = change.pass_
                    kept = RememberedStamp(
                        None, pass_.current_stamps, pass_.stamps_required, pass_.rewards_claimed
                    )
                self._keep(address, change.request, kept)
        if customer is not None:
            self.customers[(customer.business_id, customer.email)] = customer.customer_id
        if started is not None:
            self.issuances.append(started)
        self.commits += 1

    def save_consent(self, pass_: Pass, expected_version: int) -> None:
        """`PassPreferences`: the consent written on the version read, no event of the pass."""
        self._others_write()
        address = (pass_.customer_id, pass_.offer_id)
        stored = self.passes.get(address)
        if stored is None or stored.version != expected_version or stored.status is PassStatus.ERASED:
            self.conflicts += 1
            raise WriteConflict()
        self.passes[address] = replace(
            stored,
            marketing_consent=pass_.marketing_consent,
            marketing_consent_at=pass_.marketing_consent_at,
            updated_at=pass_.updated_at,
            version=pass_.version,
        )

    def _write(self, after: Pass, note: ChangeNote) -> None:
        """The pass written, and the change it names (the fake has no stream: its ledger is this list)."""
        self.passes[(after.customer_id, after.offer_id)] = after
        self.versions[(after.customer_id, after.offer_id, after.version)] = after
        self.events.append(note)

    def _others_write(self) -> None:
        if self.meanwhile:
            self.meanwhile.pop(0)(self)


def touched_by_another_writer(store: InMemoryPassStore, customer_id: str, offer_id: str) -> None:
    """Another request's write to the pass (its version moves on), as `meanwhile` plays it."""
    pass_ = store.passes[(customer_id, offer_id)]
    store.passes[(customer_id, offer_id)] = replace(pass_, version=pass_.version + 1)


class InMemoryOfferStore:
    """An `OfferStore`: the DynamoDB repository's behaviour, conditions included."""

    def __init__(self) -> None:
        self.offers: dict[str, Offer] = {}
        self.answers: dict[tuple[str, str], RememberedAnswer] = {}

    def add(self, offer: Offer) -> None:
        assert offer.offer_id not in self.offers
        self.offers[offer.offer_id] = offer

    def get(self, offer_id: str) -> Offer | None:
        return self.offers.get(offer_id)

    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OffersRead:
        mine = [offer for offer in self.offers.values() if offer.business_id == business_id]
        return OffersRead(sorted(mine, key=lambda offer: offer.created_at, reverse=True)[:limit], None)

    def set_tiers(self, offer_id: str, business_id: str, config: TierConfig | None, *, at: str) -> Offer:
        offer = self.offers.get(offer_id)
        if offer is None or offer.business_id != business_id:
            raise OfferNotFound()
        self.offers[offer_id] = replace(offer, loyalty_tiers=config)
        return self.offers[offer_id]

    def edit(self, offer_id: str, business_id: str, edit: OfferChanges, *, at: str) -> Offer:
        offer = self.offers.get(offer_id)
        if offer is None or offer.business_id != business_id:
            raise OfferNotFound()
        fields = {_snake(name): value for name, value in edit.changes.items()}
        self.offers[offer_id] = replace(offer, **fields, updated_at=at)
        return self.offers[offer_id]

    def stored_answer(self, request: IdempotentRequest) -> StoredAnswer | None:
        held = self.answers.get((request.scope, request.key))
        return replay(request, held) if held is not None else None

    def add_answering(
        self, offer: Offer, request: IdempotentRequest, answer: StoredAnswer, *, at: str, ttl_hours: int
    ) -> StoredAnswer:
        stored = self.stored_answer(request)
        if stored is not None:
            return stored
        self.add(offer)
        self.answers[(request.scope, request.key)] = RememberedAnswer(request.fingerprint, answer)
        return answer


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@dataclass
class ApplePushes:
    """Stands in for the Apple notifier (`pass_changed(customer_id, offer_id)`), failing when told to."""

    sent: list[tuple[str, str]] = field(default_factory=list)
    failures: int = 0

    def pass_changed(self, customer_id: str, offer_id: str) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("APNs unreachable")
        self.sent.append((customer_id, offer_id))


@dataclass
class GoogleObjects:
    """Stands in for Google Wallet's objects (a `GoogleWalletUpdater`), timing out when told to."""

    classes: list[str] = field(default_factory=list)
    inserted: list[Pass] = field(default_factory=list)
    updates: list[tuple[Pass, TierStanding, bool]] = field(default_factory=list)
    fail_for: set[str] = field(default_factory=set)  # customers whose next update times out, once
    class_updates: list[str] = field(default_factory=list)

    def ensure_class(self, offer: Offer) -> None:
        self.classes.append(offer.offer_id)

    def update_class(self, offer: Offer) -> None:
        self.class_updates.append(offer.offer_id)

    def ensure_object(self, offer: Offer, pass_: Pass, standing: TierStanding) -> None:
        self.inserted.append(pass_)

    def update(self, offer: Offer, pass_: Pass, standing: TierStanding, *, notify: bool) -> None:
        if pass_.customer_id in self.fail_for:
            self.fail_for.discard(pass_.customer_id)
            raise TimeoutError("walletobjects timed out")
        self.updates.append((pass_, standing, notify))


@dataclass
class Offers:
    """An `OfferSource` that counts its reads."""

    known: dict[str, Offer]
    reads: int = 0

    def get(self, offer_id: str) -> Offer | None:
        self.reads += 1
        return self.known.get(offer_id)


@dataclass
class RecordingQueue:
    """A `RefreshQueue` that keeps what was sent."""

    sent: list[RefreshMessage] = field(default_factory=list)

    def send(self, messages: Sequence[RefreshMessage]) -> None:
        self.sent.extend(messages)


@dataclass
class InMemoryOfferPasses:
    """The offer's passes in memory; `scan_during_redraw` moves a pass right after its redraw is written."""

    by_customer: dict[str, Pass]
    scan_during_redraw: set[str] = field(default_factory=set)
    redraws: list[str] = field(default_factory=list)

    def customer_ids(self, offer_id: str, *, after: str | None, limit: int) -> CustomerPage:
        """As the members index lists them: `<memberSince>#<customerId>` order, `limit` entries read, the ACTIVE
        ones among them listed, and the position of the last entry read when there are more."""
        entries = sorted(
            (f"{pass_.member_since}#{c}", c, pass_.status)
            for c, pass_ in self.by_customer.items()
            if pass_.offer_id == offer_id
        )
        if after is not None:
            entries = [entry for entry in entries if entry[0] > after]
        read = entries[:limit]
        listed = [c for _, c, status in read if status is PassStatus.ACTIVE]
        return CustomerPage(listed, read[-1][0] if len(entries) > limit else None)

    def redraw(self, customer_id: str, offer_id: str, at: str) -> Pass | None:
        pass_ = self.by_customer.get(customer_id)
        if pass_ is None or pass_.status is not PassStatus.ACTIVE:
            return None
        drawn = replace(pass_, version=pass_.version + 1, updated_at=at)
        self.by_customer[customer_id] = drawn
        self.redraws.append(customer_id)
        if customer_id in self.scan_during_redraw:
            self.by_customer[customer_id] = replace(
                drawn, current_stamps=drawn.current_stamps + 1, version=drawn.version + 1
            )
        return drawn

    def passes(self, offer_id: str, customer_ids: Sequence[str]) -> dict[str, Pass]:
        return {c: self.by_customer[c] for c in customer_ids if c in self.by_customer}


class InMemoryBusinessProfiles:
    """A `BusinessProfiles`: names and brands by business."""

    def __init__(self) -> None:
        self.profiles: dict[str, BusinessProfile] = {}

    def profile(self, business_id: str) -> BusinessProfile | None:
        return self.profiles.get(business_id)

    def save_brand(self, business_id: str, brand: Brand, *, at: str) -> None:
        current = self.profiles.get(business_id) or BusinessProfile(business_id, "", None)
        self.profiles[business_id] = replace(current, brand=brand)

    def put_names(self, business_id: str, name: str, name_ar: str | None, *, at: str) -> None:
        current = self.profiles.get(business_id) or BusinessProfile(business_id, "", None)
        self.profiles[business_id] = replace(current, name=name, name_ar=name_ar)


class InMemoryBrandImages:
    """A `BrandImages`: uploads by (business, image id), as the bucket keys them, and the drawn sizes."""

    def __init__(self) -> None:
        self.uploads: dict[tuple[str, str], bytes] = {}
        self.drawn: dict[str, dict[str, bytes]] = {}

    def upload_form(
        self, business_id: str, image_id: str, content_type: str, *, max_bytes: int, expires_in: int
    ) -> UploadForm:
        return UploadForm(f"memory://{business_id}/{image_id}", {"Content-Type": content_type})

    def uploaded(self, business_id: str, image_id: str, *, max_bytes: int) -> bytes | None:
        data = self.uploads.get((business_id, image_id))
        if data is not None and len(data) > max_bytes:
            raise UnusableImage(f"is larger than {max_bytes // (1024 * 1024)} MB")
        return data

    def keep_renditions(self, image_id: str, files: dict[str, bytes]) -> None:
        self.drawn.setdefault(image_id, {}).update(files)

    def rendition(self, image_id: str, name: str) -> bytes | None:
        return self.drawn.get(image_id, {}).get(name)


class CountingThrottle:
    """The throttle counters' port in memory: requests counted per scope, subject and window, refused (429, as
    the DynamoDB counters refuse) once a window is full."""

    def __init__(self) -> None:
        self.hits: dict[tuple[str, str, int], int] = {}

    def check(self, scope: str, subject: str, rate: RateLimit, now: datetime) -> int:
        window = (scope, subject, rate.window_start(now))
        if self.hits.get(window, 0) >= rate.limit:
            raise TooManyRequests(rate.retry_after(now))
        self.hits[window] = self.hits.get(window, 0) + 1
        return self.hits[window]

    def check_spread(
        self, each: tuple[str, str, RateLimit], among: tuple[str, str, RateLimit], now: datetime
    ) -> None:
        """As the DynamoDB counters: `among` counts a subject of `each` once per window."""
        if self.check(*each, now) == 1:
            self.check(*among, now)


@dataclass(frozen=True)
class TableChangeRecord:
    """A `TableChange` as the stream adapter gives it."""

    sequence_number: str
    change: PassWritten | OfferWritten | None
    unreadable: bool = False

    def written(self) -> PassWritten | OfferWritten | None:
        if self.unreadable:
            raise KeyError("businessId")
        return self.change

    def created_issuance(self) -> str | None:
        return None


class CountingOffers:
    """An `OfferSource` that counts its reads."""

    def __init__(self, *offers: Offer) -> None:
        self.offers = {offer.offer_id: offer for offer in offers}
        self.reads: list[str] = []

    def get(self, offer_id: str) -> Offer | None:
        self.reads.append(offer_id)
        return self.offers.get(offer_id)


class InMemoryLedger:
    """A `Ledger` with the DynamoDB one's promise: an entry whose event exists is skipped, counters and all; it
    may be told to fail after writing some entries (then it reports how many it wrote)."""

    def __init__(self) -> None:
        self.events: dict[tuple[str, str, int], LedgerEntry] = {}
        self.days: Counter[tuple[str, str, str]] = Counter()
        self.members: Counter[tuple[str, str]] = Counter()
        self.fail_after: int | None = None
        self.calls: list[list[LedgerEntry]] = []

    def write(self, entries: Sequence[LedgerEntry]) -> int:
        self.calls.append(list(entries))
        for n, entry in enumerate(entries):
            if self.fail_after is not None and n >= self.fail_after:
                return n
            pass_ = entry.pass_
            key = (pass_.customer_id, pass_.offer_id, pass_.version)
            if key in self.events:
                continue
            self.events[key] = entry
            self.days.update({(pass_.offer_id, entry.day, name): k for name, k in entry.counted.day.items()})
            self.members.update({(pass_.offer_id, name): k for name, k in entry.counted.members.items()})
        return len(entries)


class DrawnPreviews:
    """A `WalletPreviews` that tells what it was asked to draw."""

    def apple(self, pass_: Pass, offer: Offer, standing: TierStanding, language: str) -> dict[str, Any]:
        return {"stamps": pass_.current_stamps, "language": language}

    def google(self, pass_: Pass, standing: TierStanding, offer: Offer | None = None) -> dict[str, Any]:
        return {"rewards": pass_.rewards_claimed}


class InMemoryMemberDirectory:
    """A `MemberDirectory` over a pass store's passes: entries kept as the DynamoDB one keeps them (sorted by
    kind, position, customer id), read in stretches with the same bounds and cursor rules."""

    def __init__(self, store: InMemoryPassStore) -> None:
        self._store = store
        self.entries: dict[tuple[str, str, str, str], bool] = {}
        self.applied = 0

    def apply(self, updates: Sequence[DirectoryUpdate]) -> None:
        for update in updates:
            for entry in update.remove:
                self.entries.pop(
                    (update.offer_id, entry.kind.value, entry.position, update.customer_id), None
                )
            for entry in update.put:
                key = (update.offer_id, entry.kind.value, entry.position, update.customer_id)
                self.entries[key] = update.active
            self.applied += 1

    def find(self, offer_id: str, stretch: DirectoryRange, *, limit: int, cursor: str | None) -> MembersRead:
        def inside(position: str) -> bool:
            if stretch.low is None and stretch.high is None:
                return position.startswith(stretch.prefix)
            return (stretch.low or "") <= position <= (stretch.high or "") + "\U0010ffff"

        found = sorted(
            (position, customer_id)
            for (offer, kind, position, customer_id), active in self.entries.items()
            if offer == offer_id
            and kind == stretch.kind.value
            and inside(position)
            and (active or not stretch.active_only)
        )
        if stretch.descending:
            found.reverse()
        start = 0
        if cursor is not None:
            start = next(n for n, (p, c) in enumerate(found) if f"{p}#{c}" == cursor) + 1
        page = found[start : start + limit]
        ids = list(dict.fromkeys(customer_id for _, customer_id in page))
        passes = [self._store.passes[(c, offer_id)] for c in ids if (c, offer_id) in self._store.passes]
        more = start + limit < len(found)
        return MembersRead(
            offer=self._store.offers.get(offer_id),
            passes=passes,
            next_cursor=f"{page[-1][0]}#{page[-1][1]}" if more and page else None,
        )


class InMemoryMembers:
    """A `Members` over a pass store: the offer's passes most recently joined first, in pages with a cursor."""

    def __init__(self, store: InMemoryPassStore) -> None:
        self._store = store
        self.pages = 0

    def page(
        self, offer_id: str, *, status: PassStatus | None, limit: int, cursor: str | None
    ) -> MembersRead:
        self.pages += 1
        ordered = sorted(
            (pass_ for (_, offer), pass_ in self._store.passes.items() if offer == offer_id),
            key=lambda pass_: (pass_.member_since, pass_.customer_id),
            reverse=True,
        )
        ordered = [pass_ for pass_ in ordered if status is None or pass_.status is status]
        start = int(cursor) if cursor else 0
        more = start + limit < len(ordered)
        return MembersRead(
            offer=self._store.offers.get(offer_id),
            passes=ordered[start : start + limit],
            next_cursor=str(start + limit) if more else None,
        )

    def one(self, offer_id: str, business_id: str, q: str) -> MembersRead:
        found = [c for (cid, o), c in self._store.passes.items() if o == offer_id and q in (cid, c.email)]
        return MembersRead(offer=self._store.offers.get(offer_id), passes=found, next_cursor=None)
