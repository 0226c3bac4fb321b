"""Items from before the one-write layout: how a write tells it met one (the store then gives it its key
slots, once, on the same version)."""

from __future__ import annotations

from botocore.exceptions import ClientError


def before_key_slots(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ValidationException" and "document path" in str(
        error.response.get("Error", {}).get("Message", "")
    )
