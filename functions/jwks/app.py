"""GET /.well-known/jwks.json (public): the partner public keys AIR Kit verifies our partner JWTs with."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.bootstrap import partner_keyring
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api

app = new_api()

# AIR Kit fetches this document as is; an hour of caching is usual. A rotation publishes the new key here
# (the secret holds both) at least this long before it starts signing.
CACHE_CONTROL = "public, max-age=3600"


@app.get("/.well-known/jwks.json", summary="Partner public keys (JWKS)")
def jwks() -> Response[Any]:
    return json_response(200, partner_keyring().get().jwks(), headers={"Cache-Control": CACHE_CONTROL})


handler = lambda_entry(app)
