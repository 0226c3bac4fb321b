"""Placeholder until the expiry issue lands: refuses to run rather than pretend it expired anything."""

from typing import Any


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise NotImplementedError("pass expiry is not implemented yet")
