"""Finding a member fast: the entries an offer's member directory keeps for each pass, and the ranges a search
reads of it, so that a search reads what its page needs and never every member.

A pass has, in its offer's directory:
- one `TERM` entry per way a person may start typing its customer: the whole name, the name from each of its
  later words ("haddad" finds "Layla Haddad"), the email; each written as `searchable` writes it, so a prefix of
  what is typed, written the same way, finds it whatever its case, accents or Arabic letter forms;
- one `CODE` entry: the short code printed under its barcode;
- one `VISIT` entry at its last activity (sort by last visit; "expiring soon" is a range of it);
- one `READY` entry while its card is full (the "reward ready" segment);
- one `RISK` entry at the moment it becomes at risk, while it may (`domain/at_risk.py`; the "at risk" segment).
An erased pass has none: the directory holds names and emails, and an erasure takes them away."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from loyalty.domain.at_risk import at_risk_from
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.customers import canonical_email
from loyalty.domain.errors import FieldError, ValidationFailed
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.short_codes import typed_short_code

# Arabic letters written several ways, read as one: the hamza and madda seats of alef (a decomposed أ loses its
# hamza below anyway), alef wasla, alef maqsura / ya, ta marbuta / ha; tatweel (a stretch) is no letter.
_ARABIC_FORMS = str.maketrans({"ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None})
# Longest term kept: enough for any name's start; a key stays far below DynamoDB's 1 KB sort key.
MAX_TERM = 100
# What the members list calls "expiring soon": within this many days of the inactivity limit.
EXPIRING_SOON_DAYS = 14


def searchable(text: str) -> str:
    """`text` as the directory writes and reads it: compatibility forms folded (Arabic presentation forms, full
    width letters), accents and Arabic vowel marks dropped, Arabic letter forms merged, case folded, spaces
    collapsed. The directory's keys use `#` between their parts, so it never appears in a term."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    bare = "".join(c for c in folded if unicodedata.category(c) != "Mn")
    plain = unicodedata.normalize("NFC", bare).translate(_ARABIC_FORMS).casefold().replace("#", " ")
    return " ".join(plain.split())[:MAX_TERM]


class EntryKind(StrEnum):
    TERM = "T"
    CODE = "C"
    VISIT = "V"
    READY = "R"
    RISK = "K"


@dataclass(frozen=True, order=True)
class DirectoryEntry:
    """One entry of a pass in its offer's directory: what it is and where it sorts (the storage adds the
    customer id, so two passes with the same name keep an entry each)."""

    kind: EntryKind
    position: str


def search_terms(name: str, email: str) -> frozenset[str]:
    words = searchable(name).split(" ")
    terms = {" ".join(words[n:]) for n in range(len(words))}
    terms.add(searchable(canonical_email(email)) if email else "")
    return frozenset(term for term in terms if term)


def directory_entries(pass_: Pass | None) -> frozenset[DirectoryEntry]:
    """Every entry this pass has in its offer's directory (none for no pass, or an erased one)."""
    if pass_ is None or pass_.status is PassStatus.ERASED:
        return frozenset()
    entries = {
        DirectoryEntry(EntryKind.TERM, term) for term in search_terms(pass_.customer_name, pass_.email)
    }
    entries.add(DirectoryEntry(EntryKind.CODE, pass_.short_code))
    entries.add(DirectoryEntry(EntryKind.VISIT, pass_.last_activity_at))
    if pass_.status is PassStatus.ACTIVE and pass_.reward_ready:
        entries.add(DirectoryEntry(EntryKind.READY, pass_.member_since))
    risk = at_risk_from(pass_)
    if risk is not None:
        entries.add(DirectoryEntry(EntryKind.RISK, risk))
    return frozenset(entries)


@dataclass(frozen=True)
class DirectoryRange:
    """A stretch of one kind of entry, read in order: entries whose position starts with `prefix`, or lies from
    `low` to `high`; newest first when `descending`. `active_only` leaves expired passes out."""

    kind: EntryKind
    prefix: str = ""
    low: str | None = None
    high: str | None = None
    descending: bool = False
    active_only: bool = False


class Sort(StrEnum):
    JOINED = "joined"
    LAST_ACTIVITY = "lastActivity"


class MemberSegment(StrEnum):
    EXPIRING_SOON = "EXPIRING_SOON"
    REWARD_READY = "REWARD_READY"
    AT_RISK = "AT_RISK"


def directory_range(
    *, q: str | None, sort: Sort, segment: MemberSegment | None, at: str, inactivity_days: int
) -> DirectoryRange | None:
    """The directory stretch a members request reads; None when the members index (join order) serves it.

    - `q`: a short code (whole) finds its pass; anything else is the start of a name or an email;
    - `segment=EXPIRING_SOON`: active passes whose last activity is within EXPIRING_SOON_DAYS of the inactivity
      limit, the nearest to expiring first;
    - `segment=REWARD_READY`: full cards, most recently joined first;
    - `segment=AT_RISK`: active passes past twice their usual gap between visits, the longest at risk first;
    - `sort=lastActivity`: most recent visit first."""
    if q is not None:
        code = typed_short_code(q)
        if code is not None:
            return DirectoryRange(EntryKind.CODE, prefix=code)
        term = searchable(q)
        if not term:
            raise ValidationFailed([FieldError("q", "must hold a letter or a digit to search for")])
        return DirectoryRange(EntryKind.TERM, prefix=term)
    if segment is MemberSegment.EXPIRING_SOON:
        cutoff = parse_iso(at) - timedelta(days=inactivity_days)
        return DirectoryRange(
            EntryKind.VISIT,
            low=to_iso(cutoff),
            high=to_iso(cutoff + timedelta(days=EXPIRING_SOON_DAYS)),
            active_only=True,
        )
    if segment is MemberSegment.REWARD_READY:
        return DirectoryRange(EntryKind.READY, descending=True)
    if segment is MemberSegment.AT_RISK:
        # Every pass at risk by now, the longest at risk first.
        return DirectoryRange(EntryKind.RISK, low="", high=at, active_only=True)
    if sort is Sort.LAST_ACTIVITY:
        return DirectoryRange(EntryKind.VISIT, descending=True)
    return None
