"""Idempotency keys kept inside a pass item: the three day slots, the key's name and its kept answer."""

from __future__ import annotations

import base64
import hashlib
import json
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


# A stamp's key keeps, beside the version the stamp made (`<key>`), the counts its answer shows: `<key>c` the
# stamps of the cycle, `<key>q` the cycle's requirement, `<key>r` the prizes claimed (each is the key's name and a
# letter: twelve characters, never another key's eleven). The scan's update computes them from the pass as it
# writes it: the stamps one up, the requirement and the prizes as they were (a stamp changes neither).
STAMP_COUNTED_FROM = {"c": "currentStamps + :one", "q": "stampsRequired", "r": "rewardsClaimed"}


def stamp_count_names(key: str) -> dict[str, str]:
    return {role: f"{key}{role}" for role in STAMP_COUNTED_FROM}


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


def key_entry_name(request: IdempotentRequest) -> str:
    """The key's name inside the pass: 66 bits of SHA-256 of its scope and key, url-safe."""
    digest = hashlib.sha256(f"{request.scope}\n{request.key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:11]


def stored_entry(request: IdempotentRequest, answer: StoredAnswer) -> str:
    body = json.dumps(answer.body, ensure_ascii=False, separators=(",", ":"))
    return f"{request.fingerprint[:FINGERPRINT_KEPT]}|{answer.status}|{body}"


def version_entry(request: IdempotentRequest, version: int) -> str:
    """What the pass keeps of a change whose answer is drawn again from the pass at `version`."""
    return f"{request.fingerprint[:FINGERPRINT_KEPT]}|{BY_VERSION}|{version}"


def remembered_on_pass(item: dict[str, Any], request: IdempotentRequest, at: str) -> Remembered | None:
    """The key's first answer as the (plain) pass item keeps it, if the key is in today's or yesterday's slot."""
    name = key_entry_name(request)
    today, yesterday, _ = slot_names(at)
    for slot in (today, yesterday):
        entry = (item.get(slot) or {}).get(name)
        if entry is None:
            continue
        if isinstance(entry, int):
            counts = [(item.get(slot) or {}).get(n) for n in stamp_count_names(name).values()]
            kept = [count for count in counts if isinstance(count, int)]
            if len(kept) == len(counts):
                return RememberedStamp(entry, *kept)
            return RememberedStamp(entry)  # kept by a release before the counts
        fingerprint, status, body = str(entry).split("|", 2)
        if status == APART:  # the answer is in the key's own record; the marker still tells a reuse
            return RememberedAnswer(fingerprint, StoredAnswer(0, {}))
        if status == BY_VERSION:
            return RememberedChange(fingerprint, int(body))
        return RememberedAnswer(fingerprint, StoredAnswer(int(status), json.loads(body)))
    return None
