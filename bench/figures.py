"""A benchmark's output: named figures with units, printed side by side."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    name: str
    value: float
    unit: str
    note: str = ""

    def line(self) -> str:
        value = f"{self.value:,.3f}" if abs(self.value) < 1000 else f"{self.value:,.0f}"
        return f"  {self.name:<58} {value:>14} {self.unit:<10} {self.note}"
