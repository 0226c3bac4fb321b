"""GET /.well-known/jwks.json (public): the partner public keys AIR Kit verifies our partner JWTs with."""

from typing import Any, Literal

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel, ConfigDict

from loyalty.bootstrap import partner_keyring
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.wire import ok, responses

app = new_api()

# AIR Kit fetches this document as is; an hour of caching is usual. A rotation publishes the new key here
# (the secret holds both) at least this long before it starts signing.
CACHE_CONTROL = "public, max-age=3600"


class PublicJwk(BaseModel):
    """RFC 7517 names (not camelCase): the document is read by AIR Kit, not by our clients."""

    model_config = ConfigDict(extra="forbid")

    kty: Literal["RSA"]
    n: str
    e: str
    kid: str
    use: Literal["sig"]
    alg: str


class Jwks(BaseModel):
    model_config = ConfigDict(extra="forbid")

    keys: list[PublicJwk]


@app.get(
    "/.well-known/jwks.json",
    summary="Partner public keys (JWKS)",
    operation_id="getJwks",
    responses=responses({200: ok(Jwks, "Every partner key that may sign (during a rotation, both)")}),
)
def jwks() -> Response[Any]:
    return json_response(200, partner_keyring().jwks(), headers={"Cache-Control": CACHE_CONTROL})


handler = lambda_entry(app)
