"""Google's save and delete callbacks (`POST /wallet/google/callback`): a signed event of one of our Google Wallet
objects says whether its holder keeps it. Nothing is believed before its signature verifies (a forged or expired
callback is refused and changes nothing); a verified event is applied once, in Google's order."""

from __future__ import annotations

import json

from aws_lambda_powertools import Logger

from loyalty.app.ports.delivery import GoogleCallbackCheck, GoogleSaves
from loyalty.domain.errors import MalformedRequest, NotFound

logger = Logger(child=True)


class GoogleWalletOff(NotFound):
    def __init__(self) -> None:
        super().__init__("Google Wallet passes are not offered here.", code="GOOGLE_WALLET_DISABLED")


def accept_google_callback(check: GoogleCallbackCheck, saves: GoogleSaves, body: str | None, at: str) -> bool:
    """True when the event changed what the pass shows; False for a replay, an older event, or an object that is
    not one of our passes (acknowledged all the same, so Google does not send it again)."""
    try:
        payload = json.loads(body or "")
    except ValueError:
        raise MalformedRequest() from None
    event = check.verify(payload)
    if event.address is None:
        logger.info(
            "a Google callback for an object that is not a pass of ours", extra={"objectId": event.object_id}
        )
        return False
    return saves.record(event, event.address, at)
