"""A retried stamp is answered from what its own write kept beside the key, never from the ledger: with the
ledger stopped (the store has no past versions to give) the retry still gets its first answer at once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loyalty.app.idempotency import IdempotentRequest, RememberedStamp
from loyalty.app.passes.commands import Actor
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass, PassBusy
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.pass_actions import scan
from tests.support.passes import fresh_pass

BUSINESS = "biz_replaylagbusiness"
MANAGER = Actor("manager-sub", BUSINESS, "branch-1")


class LedgerStopped(InMemoryPassStore):
    """A store whose ledger never writes an event: no past version of a pass can be read."""

    def __init__(self, clock: FrozenClock) -> None:
        super().__init__(clock)
        self.asked_for_versions: list[int] = []

    def pass_at_version(self, customer_id: str, offer_id: str, version: int) -> Pass | None:
        self.asked_for_versions.append(version)
        current = self.get_pass(customer_id, offer_id)
        return current if current is not None and current.version == version else None


def enrolled(store: InMemoryPassStore, clock: FrozenClock) -> Pass:
    pass_ = fresh_pass(
        5, to_iso(clock()), customer_id=new_id("cus"), offer_id=new_id("off"), business_id=BUSINESS
    )
    return store.add_pass(pass_)


def test_a_retry_past_other_stamps_is_answered_without_the_ledger() -> None:
    clock = FrozenClock()
    store = LedgerStopped(clock)
    pass_ = enrolled(store, clock)
    first = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "lost", offers=lambda _: None)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, offers=lambda _: None)
    retried = scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "lost", offers=lambda _: None)
    assert (retried, first.body["progress"]["currentStamps"]) == (first, 1)
    assert store.asked_for_versions == []
    assert store.stamps == 2


def test_a_key_kept_without_counts_by_the_earlier_release_is_busy_at_once_when_the_ledger_lags() -> None:
    clock = FrozenClock()
    store = LedgerStopped(clock)
    pass_ = enrolled(store, clock)
    scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, offers=lambda _: None)
    request = IdempotentRequest.of(
        BUSINESS, "old-key", "scan", {"customerId": pass_.customer_id, "offerId": pass_.offer_id}
    )
    # What the earlier release kept: the version its stamp made (1 -> 2), no counts; the pass is at 2 -> moved on.
    store.pass_keys[((pass_.customer_id, pass_.offer_id), request.scope, request.key)] = (
        RememberedStamp(2),
        clock().date(),
    )
    stored = store.get_pass(pass_.customer_id, pass_.offer_id)
    assert stored is not None
    store.add_pass(replace(stored, version=3, current_stamps=2))
    with pytest.raises(PassBusy):
        scan(store, clock, MANAGER, pass_.customer_id, pass_.offer_id, "old-key", offers=lambda _: None)
    assert store.asked_for_versions == [2]  # asked once, no polling
