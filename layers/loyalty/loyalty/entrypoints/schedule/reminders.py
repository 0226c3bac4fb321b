"""Weekly, right after the expiry (same schedule, same function): the expiry reminders of the week due.

A run out of time raises `ReminderRunIncomplete`: Lambda's asynchronous retry runs the job again, the expiry
finds nothing left and the reminder's writes refuse what was already reminded, so the retry finishes the work."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger

from loyalty.app.passes.reminders import send_expiry_reminders
from loyalty.app.ports.offers import OfferSource
from loyalty.app.ports.reminders import ReminderIndex
from loyalty.domain.clock import utc_now

logger = Logger()


class ReminderRunIncomplete(RuntimeError):
    """The reminders stopped before the deadline with work left; a retry continues them."""


def send_reminders(
    index: ReminderIndex, offers: OfferSource, inactivity_days: int, remaining_ms: Callable[[], int]
) -> dict[str, Any]:
    run = send_expiry_reminders(
        index, offers, utc_now(), inactivity_days, clock=utc_now, remaining_ms=remaining_ms
    )
    summary = run.summary()
    if run.finished:
        logger.info("expiry reminders sent", extra={"reminders": summary})
        return summary
    logger.warning("expiry reminders out of time, work left for a retry", extra={"reminders": summary})
    raise ReminderRunIncomplete(f"stopped after {run.reminded} reminders; a retry continues the work")
