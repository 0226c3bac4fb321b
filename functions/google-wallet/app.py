"""POST /wallet/google/callback (Google, signed): save and delete events of our Google Wallet objects
(loyalty.app.wallets.google_callbacks; the signature checks in loyalty.adapters.google.callbacks)."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.wallets.google_callbacks import accept_google_callback
from loyalty.bootstrap import google_callbacks, google_saves
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.wallet_contract import GoogleCallbackEnvelope
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()


@app.post(
    "/wallet/google/callback",
    summary="Google Wallet's save and delete events of our objects (signed, ECv2SigningOnly)",
    operation_id="googleWalletCallback",
    tags=["Wallets"],
    responses=responses(
        {200: ok(None, "Accepted (a replayed or older event, or another issuer's object, changes nothing)")},
        400,
        (401, failure(401, "The signature does not verify, or the key or the message has expired")),
        (404, failure(404, "Google Wallet is not offered here (GOOGLE_WALLET_DISABLED)")),
        413,
        422,
    ),
)
def callback(envelope: Annotated[GoogleCallbackEnvelope, Body()]) -> Response[Any]:
    del envelope  # its shape checked; the signature is checked over the raw body's bytes
    body: str | None = app.current_event.decoded_body
    accept_google_callback(google_callbacks(), google_saves(), body, to_iso(utc_now()))
    return Response(status_code=200, body="")


handler = lambda_entry(app)
