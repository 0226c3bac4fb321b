"""A count as JSON carries it: `3` and `3.0` are the same number in JSON (RFC 8259 §6 has one number type, and
JSON Schema's `integer` matches any number with a zero fractional part), so a count sent as `3.0` is 3. A flag
(`true`) is never a count, and `3.5` is no whole number."""

from __future__ import annotations


def whole_number(value: object) -> int | None:
    """The whole number `value` is, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None
