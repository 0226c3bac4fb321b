"""The pass actions as the HTTP edge answers them, for tests of the use cases: each command built from plain
arguments, run with the edge's own renderer, and its result (or a retry's kept first answer) turned into the
answer that would be sent. Refusals are raised, as the use cases raise them (the edge renders them alike)."""

from __future__ import annotations

from typing import Any

from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import Replayed, StoredAnswer
from loyalty.app.passes import actions, enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Reactivate, ReadPass, Scan, VoidStamp
from loyalty.app.ports.passes import CredentialOnUpgrade, PassStore
from loyalty.domain.clock import Clock
from loyalty.domain.pass_results import PassResult
from loyalty.entrypoints.http.contract import EnrollmentRequest
from loyalty.entrypoints.http.render import render_pass


def sent(outcome: PassResult | Replayed) -> StoredAnswer:
    """What the edge sends for a use case's outcome: the result rendered, or the kept answer as it is."""
    return outcome.answer if isinstance(outcome, Replayed) else render_pass(outcome)


def scan(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    key: str | None = None,
    **options: Any,
) -> StoredAnswer:
    return sent(actions.scan(store, clock, Scan(actor, customer_id, offer_id, key), render_pass, **options))


def confirm_prize(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    key: str | None = None,
    on_upgrade: CredentialOnUpgrade | None = None,
    **options: Any,
) -> StoredAnswer:
    command = ConfirmPrize(actor, customer_id, offer_id, key)
    return sent(actions.confirm_prize(store, clock, command, render_pass, on_upgrade, **options))


def void_stamp(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    reason: str | None = None,
    key: str | None = None,
    **options: Any,
) -> StoredAnswer:
    command = VoidStamp(actor, customer_id, offer_id, reason, key)
    return sent(actions.void_stamp(store, clock, command, render_pass, **options))


def pass_status(
    store: PassStore, actor: Actor, customer_id: str, offer_id: str, **options: Any
) -> StoredAnswer:
    return sent(actions.pass_status(store, ReadPass(actor, customer_id, offer_id), **options))


def enroll(
    store: PassStore,
    clock: Clock,
    offer_id: str,
    form: EnrollmentRequest,
    recovery: RecoveryMail,
    key: str | None = None,
    **options: Any,
) -> StoredAnswer:
    """Enroll as the edge answers it: 201 and the pass, 202 VERIFICATION_SENT, or a retry's first answer."""
    return sent(
        enrollment.enroll(store, clock, form.command(offer_id, key), recovery, render_pass, **options)
    )


def reactivate(
    store: PassStore,
    clock: Clock,
    actor: Actor,
    customer_id: str,
    offer_id: str,
    key: str | None = None,
    **options: Any,
) -> StoredAnswer:
    command = Reactivate(actor, customer_id, offer_id, key)
    return sent(actions.reactivate(store, clock, command, render_pass, **options))
