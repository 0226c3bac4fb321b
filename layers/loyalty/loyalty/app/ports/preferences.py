"""Ports of what a customer sets on their pass that is no event of it (no audit event, nothing counted)."""

from __future__ import annotations

from typing import Protocol

from loyalty.domain.passes import Pass


class PassPreferences(Protocol):
    def save_consent(self, pass_: Pass, expected_version: int) -> None:
        """Write the pass's marketing consent and its time (and its new version and `updatedAt`) on the version
        read; raise `WriteConflict` when the pass moved on (the caller reads and decides again)."""
        ...
