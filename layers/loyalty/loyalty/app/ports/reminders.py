"""Ports of the expiry reminder: one week of the activity index per setting, and the reminder's one write."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from loyalty.app.ports.expiry import IdlePage, IdlePass
from loyalty.domain.reminders import ReminderWeek


class ReminderIndex(Protocol):
    shards: int

    def weeks_in_use(self) -> tuple[set[int], int]:
        """The reminder settings any offer uses, in whole weeks, and the items read to know it."""
        ...

    def week_page(
        self, shard: int, week: ReminderWeek, resume_after: Mapping[str, Any] | None = None
    ) -> IdlePage: ...

    def remind(self, idle: IdlePass, week: ReminderWeek, at: str) -> bool:
        """Mark the pass reminded for its quiet period if it is ACTIVE, its last activity is in `week`, and it was
        not reminded for it yet (one conditional write); False when it was not."""
        ...
