"""Idempotency keys kept inside a pass item: the three day slots, the key's name and its kept answer."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from datetime import date
from typing import Any

from loyalty.app.idempotency import (
    FINGERPRINT_KEPT,
    IdempotentRequest,
    Remembered,
    RememberedAnswer,
    RememberedChange,
    RememberedStamp,
    StoredAnswer,
)
from loyalty.domain.clock import parse_iso
from loyalty.domain.errors import DomainError
from loyalty.domain.passes import (
    NotEnoughStamps,
    NothingToVoid,
    PassActive,
    PassExpired,
    RefusedOnProgress,
    RewardReady,
    new_pass,
)

EPOCH_DAY = date(1970, 1, 1)


# Idempotency keys kept inside the pass: three day slots (UTC day number % 3). A write keeps its key in today's
# slot, empties tomorrow's (which holds only keys two days old or older), and a key counts as used while it is in
# today's or yesterday's slot: every key is kept at least 24 hours, and the item never holds more than about
# two days of keys.
SLOTS = ("k0", "k1", "k2")


# A prize's answer (tier blocks, the credential issuance) is too big to keep inside the pass, which must stay under
# 1 KB: its key gets an idempotency record of its own, written in the prize's transaction (one prize a cycle).
# The pass still keeps the key, as a marker (`<fingerprint>|-|`), so no other request on the pass can reuse it.
KEPT_APART = frozenset({"confirm-prize"})


APART = "-"


# The pass's counts packed in one number, `n` = rewardsClaimed·10⁴ + stampsRequired·10² + currentStamps
# (a requirement is at most 50, decision 0021e): written with the counts by every write of the pass, and moved by
# the scan's own `n = n + 1`. A stamp's key keeps `n` as the stamp made it (`<key> = n + 1`, about 15 bytes), from
# which a retry's answer is drawn again however far the pass has moved since. It was the version and three counts
# under four names (about 60 bytes a key): a pass keeping two days of keys went past 1 KB.
COUNTS = "n"
_STAMPS_BASE = 100
_REQUIRED_BASE = 100


def packed_counts(current_stamps: int, stamps_required: int, rewards_claimed: int) -> int:
    if not (
        0 <= current_stamps < _STAMPS_BASE and 0 < stamps_required < _REQUIRED_BASE and rewards_claimed >= 0
    ):
        raise ValueError("counts out of the packed range")
    return (rewards_claimed * _REQUIRED_BASE + stamps_required) * _STAMPS_BASE + current_stamps


def unpacked_counts(packed: int) -> tuple[int, int, int]:
    """(currentStamps, stampsRequired, rewardsClaimed) of a packed `n`."""
    rest, current = divmod(packed, _STAMPS_BASE)
    rewards, required = divmod(rest, _REQUIRED_BASE)
    return current, required, rewards


# A key kept by the release before the packed counts: under its 11-character name, the version the stamp made and
# its counts beside it (`<key>c`, `<key>q`, `<key>r`). Read, and checked by every write's key condition, until
# its slot is emptied (at most three days after the deploy).
LEGACY_COUNT_ROLES = ("c", "q", "r")


# A void's answer is drawn again from the pass at the version it made (as a stamp's is): the pass keeps
# `<fingerprint>|v|<version>` (about 20 bytes) instead of the answer (about 400), so a pass that kept a void's key
# stays under 1 KB and every write of it is one write unit (decision 0021a).
DRAWN_AGAIN = frozenset({"void-stamp"})
BY_VERSION = "v"


def day_slot(at: str) -> int:
    return (parse_iso(at).date() - EPOCH_DAY).days % len(SLOTS)


def slot_names(at: str) -> tuple[str, str, str]:
    """Today's slot, yesterday's and tomorrow's (to be emptied) for a write at `at`."""
    today = day_slot(at)
    return SLOTS[today], SLOTS[(today - 1) % 3], SLOTS[(today + 1) % 3]


def _digest_name(request: IdempotentRequest, length: int) -> str:
    digest = hashlib.sha256(f"{request.scope}\n{request.key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:length]


def key_entry_name(request: IdempotentRequest) -> str:
    """The key's name inside the pass: 60 bits of SHA-256 of its scope and key, url-safe (a pass holds about two
    days of keys: a collision of two of them is out of reach)."""
    return _digest_name(request, 10)


def legacy_key_entry_name(request: IdempotentRequest) -> str:
    """The name the release before the packed counts gave the key (66 bits): still read and checked."""
    return _digest_name(request, 11)


def entry_names(request: IdempotentRequest) -> tuple[str, str]:
    """The key's name and its earlier name: a write holds only while neither is kept in today's or yesterday's
    slot."""
    return key_entry_name(request), legacy_key_entry_name(request)


# A refusal is kept short when its body is one of the domain's refusals drawn again from a code and the pass's
# packed counts (`=<code>:<n>`, about 20 bytes instead of about 230 for a full card's): the body is rebuilt, and it
# is kept so only when the rebuilt body is the same, key for key and in the same order.
# The counts a refusal shows are all it reads of the pass: a stand-in holding only them draws its body again.
_COUNTS_ONLY = new_pass(
    customer_id="",
    offer_id="",
    business_id="",
    stamps_required=1,
    email="",
    customer_name="",
    preferred_language="en",
    pass_serial="",
    auth_token="",
    at="1970-01-01T00:00:00.000Z",
)


def _refusal_of(code: str, counts: tuple[int, int, int]) -> DomainError | None:
    current, required, rewards = counts
    pass_ = replace(_COUNTS_ONLY, current_stamps=current, stamps_required=required, rewards_claimed=rewards)
    refusals: dict[str, DomainError] = {
        "REWARD_READY": RewardReady(pass_),
        "NOT_ENOUGH_STAMPS": NotEnoughStamps(pass_),
        "PASS_EXPIRED": PassExpired(),
        "NOTHING_TO_VOID": NothingToVoid(),
        "PASS_ACTIVE": PassActive(),
    }
    return refusals.get(code)


def _refusal_body(error: DomainError) -> dict[str, Any]:
    """The contract's error body of a refusal without details (the shape `entrypoints/http/render.error_body`
    gives; a kept short form is checked against the real body before it is used, so the two cannot drift)."""
    body: dict[str, Any] = {
        "success": False,
        "error": {"code": error.code, "message": error.message, "details": []},
    }
    if isinstance(error, RefusedOnProgress):
        pass_ = error.pass_
        body["progress"] = {
            "currentStamps": pass_.current_stamps,
            "maxStamps": pass_.stamps_required,
            "rewardsClaimed": pass_.rewards_claimed,
            "stampsEarned": pass_.current_stamps,
            "stampsRequired": pass_.stamps_required,
        }
    return body


def _short_refusal(answer: StoredAnswer) -> str | None:
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    progress = answer.body.get("progress") if isinstance(answer.body, dict) else None
    counts = (0, 1, 0)
    if isinstance(progress, dict):
        try:
            counts = (
                int(progress["currentStamps"]),
                int(progress["stampsRequired"]),
                int(progress["rewardsClaimed"]),
            )
            packed = packed_counts(*counts)
        except (KeyError, TypeError, ValueError):
            return None
    else:
        packed = packed_counts(*counts)
    refusal = _refusal_of(str(code), counts) if code else None
    if refusal is None or _dumped(_refusal_body(refusal)) != _dumped(answer.body):
        return None
    return f"{SHORT}{code}:{packed}"


SHORT = "="


def _dumped(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def stored_entry(request: IdempotentRequest, answer: StoredAnswer) -> str:
    body = _short_refusal(answer) or _dumped(answer.body)
    return f"{request.fingerprint[:FINGERPRINT_KEPT]}|{answer.status}|{body}"


def _answer_of(status: str, body: str) -> StoredAnswer:
    if body.startswith(SHORT):
        code, _, packed = body[len(SHORT) :].partition(":")
        refusal = _refusal_of(code, unpacked_counts(int(packed)))
        if refusal is None:
            raise ValueError(f"no short form for {code}")
        return StoredAnswer(int(status), _refusal_body(refusal))
    return StoredAnswer(int(status), json.loads(body))


def version_entry(request: IdempotentRequest, version: int) -> str:
    """What the pass keeps of a change whose answer is drawn again from the pass at `version`."""
    return f"{request.fingerprint[:FINGERPRINT_KEPT]}|{BY_VERSION}|{version}"


def remembered_on_pass(item: dict[str, Any], request: IdempotentRequest, at: str) -> Remembered | None:
    """The key's first answer as the (plain) pass item keeps it, if the key is in today's or yesterday's slot."""
    name, legacy = entry_names(request)
    today, yesterday, _ = slot_names(at)
    for slot in (today, yesterday):
        kept_in = item.get(slot) or {}
        entry, under = kept_in.get(name), name
        if entry is None:
            entry, under = kept_in.get(legacy), legacy
        if entry is None:
            continue
        if isinstance(entry, int) and under == name:
            return RememberedStamp(None, *unpacked_counts(entry))
        if isinstance(entry, int):  # the earlier release's: the version, and the counts beside it
            counts = [kept_in.get(f"{legacy}{role}") for role in LEGACY_COUNT_ROLES]
            kept = [count for count in counts if isinstance(count, int)]
            if len(kept) == len(counts):
                return RememberedStamp(entry, *kept)
            return RememberedStamp(entry)  # kept by a release before the counts
        fingerprint, status, body = str(entry).split("|", 2)
        if status == APART:  # the answer is in the key's own record; the marker still tells a reuse
            return RememberedAnswer(fingerprint, StoredAnswer(0, {}))
        if status == BY_VERSION:
            return RememberedChange(fingerprint, int(body))
        return RememberedAnswer(fingerprint, _answer_of(status, body))
    return None
