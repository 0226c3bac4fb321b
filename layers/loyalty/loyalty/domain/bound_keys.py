"""Idempotency-Keys that name their pass (decision 0020a).

The scanner mints one key per tap as `pass.<customerId>.<offerId>.<nonce>`: the pass's two ids as the contract
writes them (`cus_…`, `off_…`, no dots in them) and a nonce of 16 to 40 url-safe characters (the scanner sends 32
hex digits). The longest ids (44 characters each) and the longest nonce make 135 characters: a key must stay within
the contract's 128, so the scanner's ids (30 characters each today) leave room for any nonce it sends.

A key of that form is bound: it was made for one pass, so sent about another pass it is another request by
construction (422 IDEMPOTENCY_KEY_REUSED, said before anything is read or written), and about its own pass it is
kept inside the pass as every key was (decision 0012 §3), in the scan's one write. Any other key is free-form: the
pass store claims it for its request before the write (one more request; see the decision)."""

from __future__ import annotations

import re

from loyalty.domain.ids import is_id

BOUND_PREFIX = "pass"
NONCE = re.compile(r"[A-Za-z0-9_-]{16,40}")


def bound_address(key: str) -> tuple[str, str] | None:
    """The pass (customer id, offer id) a key names, or None for a free-form key."""
    parts = key.split(".")
    if len(parts) != 4 or parts[0] != BOUND_PREFIX:
        return None
    _, customer_id, offer_id, nonce = parts
    if not (is_id(customer_id, "cus") and is_id(offer_id, "off") and NONCE.fullmatch(nonce)):
        return None
    return customer_id, offer_id


def bound_key(customer_id: str, offer_id: str, nonce: str) -> str:
    """The key a client mints for one request about this pass (the scanner's form, for tools and tests)."""
    key = f"{BOUND_PREFIX}.{customer_id}.{offer_id}.{nonce}"
    if bound_address(key) != (customer_id, offer_id):
        raise ValueError("not a pass's ids, or a nonce outside 16..40 url-safe characters")
    return key
