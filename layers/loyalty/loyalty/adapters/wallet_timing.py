"""How long one pass's wallet update may take at the slowest, for functions that stop before their timeout."""

from __future__ import annotations

from loyalty.adapters.apple.settings import get_apple_wallet_settings
from loyalty.adapters.google.environment import google_wallet_settings


def slowest_pass_update_seconds() -> float:
    """Three Google requests (a token grant, then a class and an object insert, or a PATCH and its fallback
    insert) each up to their timeout, one APNs request on the open HTTP/2 connection (one device, usually), and
    two seconds of our own work (a DynamoDB write or read among it)."""
    return (
        3 * google_wallet_settings().request_timeout_seconds
        + get_apple_wallet_settings().apns_timeout_seconds
        + 2
    )
