"""The perpetual stamp card: one pass per customer and offer, stamped each visit, claimed when full, forever.

Pure rules; the storage layer makes each transition one conditional write against the version read here."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Any

from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import Conflict, DomainError, FieldError, Forbidden, Gone, NotFound, TooSoon
from loyalty.domain.short_codes import short_code

# How long after a pass's last stamp a branch manager may still take it back (an owner may any time in the cycle).
MANAGER_VOID_WINDOW = timedelta(minutes=15)
# Marks kept of the cycle's latest stamps: enough for a few voids in a row at the counter, while the pass item (and
# so every write of it) stays small whatever the card's size. Older stamps of the cycle only an owner may void.
MAX_STAMP_MARKS = 5


class PassStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    # The customer asked to be forgotten: the pass keeps its counts, anonymous, and answers no route.
    ERASED = "ERASED"


class PassNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("No pass for this customer and offer.", code="PASS_NOT_FOUND")


class PassExpired(Gone):
    def __init__(self) -> None:
        super().__init__(
            "This pass expired after a long time without visits; reactivate it to collect again.",
            "PASS_EXPIRED",
        )


class RefusedOnProgress(Conflict):
    """A refusal that tells the card's progress (the scanner shows it): the pass as it stood."""

    def __init__(self, message: str, code: str, pass_: Pass) -> None:
        super().__init__(message, code=code)
        self.pass_ = pass_


class RewardReady(RefusedOnProgress):
    def __init__(self, pass_: Pass) -> None:
        super().__init__(
            "The card is full: hand over the prize and confirm it before stamping again.",
            "REWARD_READY",
            pass_,
        )


class NotEnoughStamps(RefusedOnProgress):
    def __init__(self, pass_: Pass) -> None:
        super().__init__(
            f"The card has {pass_.current_stamps} of {pass_.stamps_required} stamps: no prize yet.",
            "NOT_ENOUGH_STAMPS",
            pass_,
        )


class StampTooSoon(TooSoon):
    """Within the offer's cooldown: nothing changes; the answer says when the next stamp is possible."""

    def __init__(self, next_stamp_at: str, retry_after_seconds: int) -> None:
        super().__init__(
            f"Too soon after this pass's last stamp: the next one is possible at {next_stamp_at}.",
            code="STAMP_TOO_SOON",
            retry_after_seconds=retry_after_seconds,
            details=[FieldError("nextStampAt", next_stamp_at)],
        )


class NothingToVoid(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "The card has no stamp in its current cycle to take back (a confirmed prize is never undone).",
            code="NOTHING_TO_VOID",
        )


class VoidNotAllowed(Forbidden):
    def __init__(self, why: str) -> None:
        super().__init__(why, code="VOID_NOT_ALLOWED")


class PassActive(Conflict):
    def __init__(self) -> None:
        super().__init__("This pass is active: there is nothing to reactivate.", code="PASS_ACTIVE")


class PassBusy(Conflict):
    def __init__(self) -> None:
        super().__init__("The pass is being updated by others right now; try again.", code="PASS_BUSY")


@dataclass(frozen=True)
class StampMark:
    """One stamp of the current cycle: when and at which branch, so a void can be judged against it."""

    at: str
    branch_id: str | None


@dataclass(frozen=True)
class Voider:
    """Who takes a stamp back: an owner any stamp of the cycle, a manager only their branch's, only just given."""

    is_owner: bool
    branch_id: str | None


@dataclass(frozen=True)
class Pass:
    customer_id: str
    offer_id: str
    business_id: str
    pass_serial: str
    auth_token: str
    status: PassStatus
    current_stamps: int
    stamps_required: int
    rewards_claimed: int
    lifetime_stamps: int
    member_since: str
    last_activity_at: str
    created_at: str
    updated_at: str
    version: int
    email: str
    customer_name: str
    preferred_language: str = "en"
    expired_at: str | None = None
    # The latest stamps of the cycle under way (at most MAX_STAMP_MARKS), oldest first; a stamp without a mark
    # (older, or given before voids existed) only an owner may void.
    cycle_stamps: tuple[StampMark, ...] = ()
    last_stamp_at: str | None = None
    # Whether the customer wants offers and news on the card (campaigns), and when they last said so; unticked
    # until they say yes. Service notices about the card itself (the expiry reminder) go to everyone.
    marketing_consent: bool = False
    marketing_consent_at: str | None = None
    # The `last_activity_at` of the quiet period whose expiry reminder this pass was sent: one a quiet period.
    reminded_for: str | None = None
    # The last campaign's message this pass was given (English, Arabic): its back shows it (app/campaigns).
    campaign_message: str | None = None
    campaign_message_ar: str | None = None
    # The last campaign this pass was given (`<createdAt>#<campaignId>`) and when it reached the pass: its
    # recipient is won back by the first visit within 14 days after it (domain/won_back.py).
    campaign_key: str | None = None
    campaign_at: str | None = None

    @property
    def reminder_shown(self) -> bool:
        """The pass shows its expiry reminder: sent for the quiet period under way (a visit ends it)."""
        return self.status is PassStatus.ACTIVE and self.reminded_for == self.last_activity_at

    @property
    def reward_ready(self) -> bool:
        return self.current_stamps >= self.stamps_required

    @property
    def qr_payload(self) -> str:
        """What the scanner reads: enough to address the pass, nothing personal."""
        return f"loyalty:v1:{self.customer_id}:{self.offer_id}"

    @property
    def short_code(self) -> str:
        """What the pass prints under its barcode, for a customer to read out at the counter."""
        return short_code(self.customer_id, self.offer_id)

    def _touched(self, at: str, **changes: Any) -> Pass:
        return replace(self, last_activity_at=at, updated_at=at, version=self.version + 1, **changes)


def new_pass(
    *,
    customer_id: str,
    offer_id: str,
    business_id: str,
    stamps_required: int,
    email: str,
    customer_name: str,
    preferred_language: str,
    pass_serial: str,
    auth_token: str,
    at: str,
    marketing_consent: bool = False,
) -> Pass:
    return Pass(
        customer_id=customer_id,
        offer_id=offer_id,
        business_id=business_id,
        pass_serial=pass_serial,
        auth_token=auth_token,
        status=PassStatus.ACTIVE,
        current_stamps=0,
        stamps_required=stamps_required,
        rewards_claimed=0,
        lifetime_stamps=0,
        member_since=at,
        last_activity_at=at,
        created_at=at,
        updated_at=at,
        version=1,
        email=email,
        customer_name=customer_name,
        preferred_language=preferred_language,
        marketing_consent=marketing_consent,
        marketing_consent_at=at,
    )


def _ensure_active(pass_: Pass) -> None:
    if pass_.status is PassStatus.ERASED:
        raise PassNotFound()
    if pass_.status is PassStatus.EXPIRED:
        raise PassExpired()


def next_stamp_at(pass_: Pass, min_minutes_between_stamps: int) -> str | None:
    """The earliest moment the offer's cooldown allows another stamp (None: no cooldown, or no stamp yet)."""
    if min_minutes_between_stamps <= 0 or pass_.last_stamp_at is None:
        return None
    return to_iso(parse_iso(pass_.last_stamp_at) + timedelta(minutes=min_minutes_between_stamps))


def cooldown_threshold(at: str, min_minutes_between_stamps: int) -> str | None:
    """The latest a pass's last stamp may be for a stamp at `at` to be allowed (None: no cooldown)."""
    if min_minutes_between_stamps <= 0:
        return None
    return to_iso(parse_iso(at) - timedelta(minutes=min_minutes_between_stamps))


class StampRule(StrEnum):
    """The stamp's rules, each named once. The domain judges a pass by them (`broken_stamp_rules`), the scan's one
    conditional write states each as a clause of its condition (adapters/dynamodb/stamp_conditions.py), and the
    in-memory store of the tests checks them by calling this very function: three readers, one rule."""

    # The pass exists and belongs to the business at the counter (refused: 404 PASS_NOT_FOUND).
    OF_THE_BUSINESS = "OF_THE_BUSINESS"
    # The pass is active (refused: 410 PASS_EXPIRED; an erased pass, 404 PASS_NOT_FOUND).
    ACTIVE = "ACTIVE"
    # The card is not full (refused: 409 REWARD_READY).
    NOT_FULL = "NOT_FULL"
    # The offer's cooldown has passed since the last stamp (refused: 429 STAMP_TOO_SOON).
    PAST_COOLDOWN = "PAST_COOLDOWN"
    # A cycle's first stamp starts on the offer's requirement of the moment. Not a refusal: the domain gives the
    # stamp with the new requirement, which one conditional write cannot express (it goes read-decide-commit).
    CYCLE_ON_OFFER_REQUIREMENT = "CYCLE_ON_OFFER_REQUIREMENT"


@dataclass(frozen=True)
class StampTerms:
    """What a stamp is judged against besides the pass: who asks, when, and the offer's requirement and cooldown
    (as the latest moment the pass's last stamp may be: the form a write's condition can compare)."""

    business_id: str
    at: str
    offer_stamps_required: int | None = None
    last_stamp_not_after: str | None = None

    @classmethod
    def of(
        cls, business_id: str, at: str, offer_stamps_required: int | None, min_minutes_between_stamps: int
    ) -> StampTerms:
        return cls(business_id, at, offer_stamps_required, cooldown_threshold(at, min_minutes_between_stamps))


def stamp_rule_holds(rule: StampRule, pass_: Pass | None, terms: StampTerms) -> bool:
    if pass_ is None:
        return False  # no pass: no rule holds
    match rule:
        case StampRule.OF_THE_BUSINESS:
            return pass_.business_id == terms.business_id
        case StampRule.ACTIVE:
            return pass_.status is PassStatus.ACTIVE
        case StampRule.NOT_FULL:
            return pass_.current_stamps < pass_.stamps_required
        case StampRule.PAST_COOLDOWN:
            threshold = terms.last_stamp_not_after
            return threshold is None or pass_.last_stamp_at is None or pass_.last_stamp_at <= threshold
        case StampRule.CYCLE_ON_OFFER_REQUIREMENT:
            required = terms.offer_stamps_required
            return required is None or pass_.current_stamps > 0 or pass_.stamps_required == required


def broken_stamp_rules(pass_: Pass | None, terms: StampTerms) -> tuple[StampRule, ...]:
    """The rules a stamp on this pass breaks, in the order they are judged (none: the one write lands)."""
    return tuple(rule for rule in StampRule if not stamp_rule_holds(rule, pass_, terms))


def stamp_refusal(
    pass_: Pass | None, terms: StampTerms, min_minutes_between_stamps: int = 0
) -> DomainError | None:
    """Why the stamp is refused (the first broken rule's error), or None when it is given."""
    for rule in broken_stamp_rules(pass_, terms):
        if pass_ is None or rule is StampRule.OF_THE_BUSINESS:
            return PassNotFound()
        if rule is StampRule.ACTIVE:
            return PassNotFound() if pass_.status is PassStatus.ERASED else PassExpired()
        if rule is StampRule.NOT_FULL:
            return RewardReady(pass_)
        if rule is StampRule.PAST_COOLDOWN:
            allowed_at = next_stamp_at(pass_, min_minutes_between_stamps) or terms.at
            wait = (parse_iso(allowed_at) - parse_iso(terms.at)).total_seconds()
            return StampTooSoon(allowed_at, max(1, int(-(-wait // 1))))
    return None


def award_stamp(
    pass_: Pass,
    at: str,
    branch_id: str | None = None,
    *,
    offer_stamps_required: int | None = None,
    min_minutes_between_stamps: int = 0,
) -> Pass:
    """One visit, one stamp; a full card takes no more until its prize is confirmed, and none comes sooner than the
    offer's cooldown after the last (the rules: StampRule). The first stamp of a cycle takes the offer's
    requirement of the moment (an edit reaches a pass there); a cycle already begun keeps the one it started with.
    Who may see the pass is the caller's to judge: here the pass is taken as of its own business."""
    terms = StampTerms.of(pass_.business_id, at, offer_stamps_required, min_minutes_between_stamps)
    refusal = stamp_refusal(pass_, terms, min_minutes_between_stamps)
    if refusal is not None:
        raise refusal
    required = pass_.stamps_required
    if pass_.current_stamps == 0 and offer_stamps_required is not None:
        required = offer_stamps_required
    return pass_._touched(
        at,
        current_stamps=pass_.current_stamps + 1,
        lifetime_stamps=pass_.lifetime_stamps + 1,
        stamps_required=required,
        cycle_stamps=(*pass_.cycle_stamps, StampMark(at, branch_id))[-MAX_STAMP_MARKS:],
        last_stamp_at=at,
    )


def void_stamp(pass_: Pass, at: str, voider: Voider) -> Pass:
    """Take back the last stamp of the cycle under way (a double scan, the wrong card). A manager may only just
    after the stamp (MANAGER_VOID_WINDOW) and only one their own branch gave; an owner any of the cycle."""
    _ensure_active(pass_)
    if pass_.current_stamps == 0:
        raise NothingToVoid()
    last = pass_.cycle_stamps[-1] if pass_.cycle_stamps else None
    if not voider.is_owner:
        if last is None or last.branch_id is None or last.branch_id != voider.branch_id:
            raise VoidNotAllowed("A manager may take back only a stamp their own branch gave.")
        if parse_iso(at) - parse_iso(last.at) > MANAGER_VOID_WINDOW:
            raise VoidNotAllowed("A manager may take back a stamp only within 15 minutes of it.")
    marks = pass_.cycle_stamps[:-1] if last is not None else pass_.cycle_stamps
    return pass_._touched(
        at,
        current_stamps=pass_.current_stamps - 1,
        lifetime_stamps=pass_.lifetime_stamps - 1,
        cycle_stamps=marks,
        # The cooldown counts from the stamp that stands, not the one taken back.
        last_stamp_at=marks[-1].at if marks else None,
    )


def claim_reward(pass_: Pass, at: str, offer_stamps_required: int | None = None) -> Pass:
    """The prize was handed over: the completion counts and the same card starts again at 0, with the offer's
    requirement of the moment (a new stampsRequired applies from here)."""
    _ensure_active(pass_)
    if not pass_.reward_ready:
        raise NotEnoughStamps(pass_)
    return pass_._touched(
        at,
        current_stamps=0,
        rewards_claimed=pass_.rewards_claimed + 1,
        stamps_required=offer_stamps_required or pass_.stamps_required,
        cycle_stamps=(),
    )


def reactivate(pass_: Pass, at: str, offer_stamps_required: int | None = None) -> Pass:
    """An expired pass comes back on re-enrollment: stamps start at 0, completions (and so the tier) are kept."""
    return pass_._touched(
        at,
        status=PassStatus.ACTIVE,
        current_stamps=0,
        expired_at=None,
        stamps_required=offer_stamps_required or pass_.stamps_required,
        cycle_stamps=(),
    )


def set_marketing_consent(pass_: Pass, consent: bool, at: str) -> Pass:
    """The customer changed their answer (from the pass's back or a recovery link). Not a visit: the last activity
    stays; the answer's time is kept even when it is the same answer again (they confirmed it then)."""
    if pass_.status is PassStatus.ERASED:
        raise PassNotFound()
    return replace(
        pass_, marketing_consent=consent, marketing_consent_at=at, updated_at=at, version=pass_.version + 1
    )


def remind_expiry(pass_: Pass, at: str) -> Pass:
    """The pass gets its expiry reminder for the quiet period under way. Not a visit: the last activity stays."""
    return replace(pass_, reminded_for=pass_.last_activity_at, updated_at=at, version=pass_.version + 1)


def reactivate_at_counter(pass_: Pass, at: str, offer_stamps_required: int | None = None) -> Pass:
    """A manager brings an expired pass back while the customer waits: as a recovery link would, but only an
    expired pass (an active one has nothing to come back from, and its stamps must not be reset)."""
    if pass_.status is PassStatus.ERASED:
        raise PassNotFound()
    if pass_.status is PassStatus.ACTIVE:
        raise PassActive()
    return reactivate(pass_, at, offer_stamps_required)


def expire(pass_: Pass, at: str) -> Pass:
    """Idle past the inactivity limit: the pass stops collecting until its customer enrolls again. Expiry is not
    a visit, so the last activity stays where it was."""
    return replace(pass_, status=PassStatus.EXPIRED, expired_at=at, updated_at=at, version=pass_.version + 1)


def erase(pass_: Pass, at: str) -> Pass:
    """The customer asked to be forgotten: name and email gone, counts kept, the pass ended for good."""
    return replace(
        pass_,
        status=PassStatus.ERASED,
        email="",
        customer_name="",
        updated_at=at,
        version=pass_.version + 1,
    )
