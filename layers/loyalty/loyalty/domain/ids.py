"""Opaque, prefixed identifiers (`biz_`, `off_`, `cus_`, `iss_`, `img_`, `brn_`, `cmp_`, `exp_`)."""

from __future__ import annotations

import base64
import re
import secrets

PREFIXES = ("biz", "off", "cus", "iss", "img", "brn", "cmp", "exp")
# New ids have 26 characters after the prefix; older and test ids may have fewer, none has more than 40.
_BODY_MAX = 40
ID_MAX_LENGTH = len("biz_") + _BODY_MAX


def id_pattern(prefix: str) -> str:
    """The shape of an id with this prefix, as a regular expression (the HTTP contract documents it)."""
    return rf"^{prefix}_[a-z0-9]{{8,{_BODY_MAX}}}$"


def new_id(prefix: str) -> str:
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    token = base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()
    return f"{prefix}_{token}"


def is_id(value: str, prefix: str) -> bool:
    """True when `value` is a well-formed id with this prefix (garbage ids never reach the database)."""
    return prefix in PREFIXES and re.fullmatch(id_pattern(prefix), value) is not None


def new_secret_token(nbytes: int = 24) -> str:
    """A url-safe random token (pass authentication tokens, pass serials)."""
    return secrets.token_urlsafe(nbytes)
