"""A members export: the owner asks, a worker writes the file off the request path, the owner downloads it.

- An export belongs to one business: another business asking about it learns nothing (404, as for a missing one).
- Under an Idempotency-Key the export's id is derived from the business and the key, so a retried request finds
  the export it started instead of starting a second one.
- The download link is signed for `DOWNLOAD_LINK_SECONDS`; the file itself is deleted by the bucket's lifecycle
  rule `FILES_KEPT_DAYS` after it was written (template.yaml, ExportsBucket)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum

from loyalty.domain.errors import NotFound
from loyalty.domain.ids import is_id, new_id

# A link in a dashboard tab: long enough to click, short enough that a forwarded one soon stops working.
DOWNLOAD_LINK_SECONDS = 15 * 60
# What the bucket's lifecycle rule keeps; the export's record in the table lives as long.
FILES_KEPT_DAYS = 3


class ExportStatus(StrEnum):
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class ExportNotFound(NotFound):
    """Also the answer for another business's export."""

    def __init__(self) -> None:
        super().__init__("No such export.", code="EXPORT_NOT_FOUND")


@dataclass(frozen=True)
class Export:
    export_id: str
    business_id: str
    offer_id: str
    status: ExportStatus
    rows: int
    created_at: str
    file_key: str | None = None


@dataclass(frozen=True)
class ExportProgress:
    """An export as its owner sees it: the record, and once DONE a download link signed now and when it stops
    working."""

    export: Export
    download_url: str | None = None
    expires_at: str | None = None


def is_export_id(value: str) -> bool:
    return is_id(value, "exp")


def export_id_for(business_id: str, idempotency_key: str | None) -> str:
    """A fresh id, or under an Idempotency-Key the same id for every retry of the business's request."""
    if idempotency_key is None:
        return new_id("exp")
    digest = hashlib.sha256(f"{business_id}\n{idempotency_key}".encode()).hexdigest()
    return f"exp_{digest[:32]}"


def file_key(export: Export) -> str:
    return f"exports/{export.business_id}/{export.export_id}/members.csv"


def file_name(offer_name: str, at: str) -> str:
    """What the browser saves the file as: the offer's name (letters and digits of any script) and the day."""
    words = re.findall(r"\w+", offer_name)
    stem = "-".join(words)[:60] or "offer"
    return f"{stem}-members-{at[:10]}.csv"
