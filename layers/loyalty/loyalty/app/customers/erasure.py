"""A customer's right to be forgotten (DELETE /api/customers/{id}), and their credential issuances for the owner.

Erasure rewrites, in this order, everything of the business that holds the customer's email or name:
1. the customer record (email → customer) is deleted, so the same email may enroll again as a new customer;
2. the issuances lose the recipient's address; the stored answers of the pass's enrollments are deleted;
3. each pass becomes ERASED with no email or name, in one write on the version read; the ledger then writes its
   ERASE event and the stats counters from the stream (counts stay, anonymous; the members counts drop it).
The pass is last: it is what marks the work done, so an erasure cut short is finished by asking again (every step
repeats harmlessly). The pass's stream record then takes the wallets down (wallet_sync): the Google object goes
INACTIVE and the Apple pass is pushed as voided.
"""

from __future__ import annotations

from loyalty.app.ports.customers import CustomerRecords, IssuancesRead
from loyalty.app.ports.passes import ChangeNote, PassChange, PassStore, WriteConflict
from loyalty.app.retries import Backoff, conflict_backoff
from loyalty.domain import passes as pass_rules
from loyalty.domain.clock import Clock, to_iso
from loyalty.domain.errors import NotFound
from loyalty.domain.ids import is_id
from loyalty.domain.passes import Pass, PassBusy, PassStatus

MAX_ATTEMPTS = 20


class CustomerNotFound(NotFound):
    """Also the answer for another business's customer, and for one already erased."""

    def __init__(self) -> None:
        super().__init__("No such customer.", code="CUSTOMER_NOT_FOUND")


def _live_passes(customers: CustomerRecords, business_id: str, customer_id: str) -> list[Pass]:
    if not is_id(customer_id, "cus"):
        raise CustomerNotFound()
    passes = [
        pass_
        for pass_ in customers.passes(business_id, customer_id)
        if pass_.business_id == business_id and pass_.status is not PassStatus.ERASED
    ]
    if not passes:
        raise CustomerNotFound()
    return passes


def erase_customer(
    customers: CustomerRecords,
    store: PassStore,
    clock: Clock,
    business_id: str,
    customer_id: str,
    actor: str,
    *,
    backoff: Backoff = conflict_backoff,
) -> None:
    passes = _live_passes(customers, business_id, customer_id)
    for email in {pass_.email for pass_ in passes if pass_.email}:
        customers.forget_customer_record(business_id, email, customer_id)
    for pass_ in passes:
        customers.anonymise_issuances(pass_)
        customers.forget_enroll_answers(pass_, customers.enroll_keys(pass_))
        _erase_pass(store, clock, pass_, actor, backoff)


def _erase_pass(store: PassStore, clock: Clock, pass_: Pass, actor: str, backoff: Backoff) -> None:
    for attempt in range(MAX_ATTEMPTS):
        current = store.snapshot(pass_key=(pass_.customer_id, pass_.offer_id)).pass_
        if current is None or current.status is PassStatus.ERASED:
            return
        at = to_iso(clock())
        erased = pass_rules.erase(current, at)
        change = PassChange(
            pass_=erased,
            expected_version=current.version,
            note=ChangeNote("ERASE", actor),
        )
        try:
            store.commit(change)
        except WriteConflict:
            backoff(attempt)
            continue
        return
    raise PassBusy()


def customer_credentials(
    customers: CustomerRecords, business_id: str, customer_id: str, *, limit: int, cursor: str | None
) -> IssuancesRead:
    """The customer's credential issuances, newest first (404 for another business's or an erased customer)."""
    _live_passes(customers, business_id, customer_id)
    page = customers.issuances(customer_id, limit=limit, cursor=cursor)
    return IssuancesRead(
        issuances=[i for i in page.issuances if i.business_id == business_id],
        next_cursor=page.next_cursor,
    )
