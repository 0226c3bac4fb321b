"""The members CSV an owner downloads: what Excel opens with Arabic intact and never runs as a formula.

- UTF-8 with a byte-order mark: Excel reads a CSV without one in the machine's legacy code page, and Arabic
  names turn into mojibake.
- A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which Excel skips before them) would
  be taken for a formula (CSV injection, OWASP): it is written with a leading apostrophe, which Excel shows as
  text and does not display. A name is the customer's own input, so this is not hypothetical.
- One row per member with the members list's fields, the email unmasked (owners only)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = (
    ("customerId", "Customer id"),
    ("shortCode", "Short code"),
    ("name", "Name"),
    ("email", "Email"),
    ("preferredLanguage", "Language"),
    ("status", "Status"),
    ("currentStamps", "Stamps"),
    ("maxStamps", "Stamps required"),
    ("rewardsClaimed", "Rewards claimed"),
    ("tier", "Tier"),
    ("rewardReady", "Reward ready"),
    ("lastActivityAt", "Last visit"),
    ("memberSince", "Member since"),
)


def safe_cell(value: object) -> str:
    """A value as a cell Excel shows as text, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def member_row(item: Mapping[str, Any]) -> list[str]:
    """A members list item (its `progress` and `tier` blocks flattened) as one row of cells."""
    progress = item.get("progress") or {}
    current = (item.get("tier") or {}).get("currentTier") or {}
    values = {
        **item,
        "currentStamps": progress.get("currentStamps"),
        "maxStamps": progress.get("maxStamps"),
        "rewardsClaimed": progress.get("rewardsClaimed"),
        "tier": current.get("name", ""),
        "rewardReady": "yes" if item.get("rewardReady") else "no",
    }
    return [safe_cell(values.get(key)) for key, _ in COLUMNS]


def csv_chunks(items: Iterable[Mapping[str, Any]]) -> Iterable[bytes]:
    """The file, a chunk per row after the BOM and the header: written as the rows come, held nowhere whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _, label in COLUMNS])
    yield (BOM + buffer.getvalue()).encode("utf-8")
    for item in items:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(member_row(item))
        yield buffer.getvalue().encode("utf-8")
