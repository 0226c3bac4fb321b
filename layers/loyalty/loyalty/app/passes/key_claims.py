"""Which pass an Idempotency-Key belongs to, before a pass action writes anything (decision 0020a).

The contract: the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED, a request about another pass
included. A pass keeps its own keys (decision 0012 §3), and the one write of a scan cannot see another pass, so:

- a key that names its pass (`pass.<customerId>.<offerId>.<nonce>`, the form the scanner mints; domain/bound_keys)
  is judged by its form alone: naming another pass it is 422, with nothing read or written; naming this one it
  goes on to the action, which keeps it inside the pass as before (a scan stays one request);
- any other key is claimed first (PassStore.claim_key, one conditional write of a small key item): held for
  another pass or another request it is 422; held for this very request (a retry) the action goes on and the pass
  replays the first answer."""

from __future__ import annotations

from loyalty.app.idempotency import IdempotencyKeyReused, IdempotentRequest
from loyalty.app.ports.passes import PassStore
from loyalty.domain.bound_keys import bound_address


def hold_key(store: PassStore, request: IdempotentRequest | None, address: tuple[str, str], at: str) -> None:
    """Raise IdempotencyKeyReused when the request's key belongs to another pass or request; otherwise return,
    the key held for this request (nothing to do without a key, or for a key naming this pass)."""
    if request is None:
        return
    named = bound_address(request.key)
    if named is not None:
        if named != address:
            raise IdempotencyKeyReused()
        return
    store.claim_key(address, request, at)
