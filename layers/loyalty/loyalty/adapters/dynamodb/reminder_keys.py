"""Key of the one item that says which expiry-reminder settings (in whole weeks) any offer has asked for."""

from __future__ import annotations


def reminder_weeks_key() -> dict[str, str]:
    return {"PK": "REMINDERS", "SK": "WEEKS"}
