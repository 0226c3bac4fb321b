"""A pass's audit trail, newest first: every change of the pass is one event (who, which branch, when, why).

The cursor is signed with the pass's own web-service secret (HMAC-SHA256): a client can hand back only a cursor
this pass's history gave out, so an edited one is refused (400) rather than read from wherever it points. No
extra key is needed, and a cursor of one pass is worthless on another."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from loyalty.app.passes.actions import pass_address, visible
from loyalty.app.passes.commands import Actor
from loyalty.app.ports.passes import PassEvents
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.pass_results import HistoryPage


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, customer_id: str, offer_id: str, sort: str) -> bytes:
    message = f"history:{customer_id}:{offer_id}:{sort}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]


def encode_cursor(secret: str, customer_id: str, offer_id: str, sort: str) -> str:
    return f"{_b64(sort.encode())}.{_b64(_signature(secret, customer_id, offer_id, sort))}"


def decode_cursor(secret: str, customer_id: str, offer_id: str, cursor: str) -> str:
    try:
        position, signature = cursor.split(".", 1)
        sort = _unb64(position).decode()
        given = _unb64(signature)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidCursor() from None
    if not hmac.compare_digest(given, _signature(secret, customer_id, offer_id, sort)):
        raise InvalidCursor()
    return sort


def pass_history(
    store: PassEvents, actor: Actor, customer_id: str, offer_id: str, *, limit: int, cursor: str | None
) -> HistoryPage:
    """One page of the pass's events (another business's pass, or an erased one, is 404)."""
    address = pass_address(customer_id, offer_id)
    snap = store.snapshot(pass_key=address)
    pass_ = visible(snap.pass_, actor)
    after = decode_cursor(pass_.auth_token, customer_id, offer_id, cursor) if cursor else None
    events, last = store.history(customer_id, offer_id, limit=limit, after_sort=after)
    return HistoryPage(events, encode_cursor(pass_.auth_token, customer_id, offer_id, last) if last else None)
