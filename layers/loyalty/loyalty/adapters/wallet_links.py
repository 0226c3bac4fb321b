"""The enroll answer's `wallet` block: where the customer adds the pass, for each wallet this stage offers."""

from __future__ import annotations

from loyalty.adapters.apple.wiring import apple_wallet_link
from loyalty.adapters.google.environment import google_wallet_link
from loyalty.domain.passes import Pass


def wallet_links(card: Pass) -> dict[str, str] | None:
    """`{"appleWalletUrl", "googleWalletSaveUrl"}`, each only when that wallet is on; None when neither is."""
    links: dict[str, str] = {}
    apple = apple_wallet_link(card)
    if apple is not None:
        links["appleWalletUrl"] = apple
    google = google_wallet_link(card)
    if google is not None:
        links["googleWalletSaveUrl"] = google
    return links or None
