"""How a phone learns that its passes changed, without ever missing a change.

`passesUpdatedSince`: the tag we hand the phone (`lastUpdated`) records the version of each of its passes as we
answered. The next time, every pass whose version has moved past the recorded one is listed. Versions are
incremented by every write to a pass, in the same conditional write, so unlike timestamps (clocks of
different containers, writes that compute their time before they commit) they cannot go backwards or tie.

`Last-Modified`: HTTP dates have one-second resolution, so two writes in the same second would look alike and
the second could be answered 304. A pass is therefore dated by its second only once that second is settled —
no write still in flight can land in it; before that it is dated one second earlier, which costs at most one
extra download and never a missed update.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

TAG_PREFIX = "v1."
# Longer than any write's time between taking its timestamp and committing (function timeouts, SDK retries).
SETTLE = timedelta(seconds=60)


def encode_tag(versions: Mapping[str, int]) -> str:
    packed = json.dumps(dict(sorted(versions.items())), separators=(",", ":")).encode()
    return TAG_PREFIX + base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode().rstrip("=")


def decode_tag(tag: str | None) -> dict[str, int] | None:
    """The versions a tag records, or None when there is no usable tag (then every pass is listed)."""
    if not tag or not tag.startswith(TAG_PREFIX):
        return None
    body = tag[len(TAG_PREFIX) :]
    try:
        packed = zlib.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        versions = json.loads(packed)
    except (ValueError, zlib.error, binascii.Error):
        return None
    if not isinstance(versions, dict) or not all(
        isinstance(serial, str) and isinstance(version, int) and not isinstance(version, bool)
        for serial, version in versions.items()
    ):
        return None
    return versions


def updated_since(current: Mapping[str, int], tag: str | None) -> list[str]:
    """Serials whose version is newer than the tag's (all of them without a tag), in a stable order."""
    seen = decode_tag(tag)
    if seen is None:
        return sorted(current)
    return sorted(serial for serial, version in current.items() if version > seen.get(serial, 0))


def last_modified(updated_at: datetime, now: datetime) -> datetime:
    second = updated_at.replace(microsecond=0)
    return second if now >= second + SETTLE else second - timedelta(seconds=1)


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else None


def is_not_modified(if_modified_since: str | None, updated_at: datetime) -> bool:
    """304 only when the phone's copy is dated at or after the pass's last change (to the second)."""
    since = parse_http_date(if_modified_since)
    return since is not None and since >= updated_at.replace(microsecond=0)
