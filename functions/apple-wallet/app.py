"""Apple Wallet over HTTP (public routes: each call is authorized by the pass's own token, not a user's JWT).

The PassKit web service under `<webServiceURL>/v1/...` as Apple defines it, and the first download of a pass
from the enroll answer's `appleWalletUrl` (`/wallet/apple/download/{customerId}/{offerId}?expires=...&token=...`,
an hour-long link: see `loyalty.adapters.apple.links`).
"""

import base64
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse

from loyalty.adapters.apple.package import PKPASS_CONTENT_TYPE
from loyalty.adapters.apple.web_service import PkpassAnswer, device_logs
from loyalty.adapters.apple.wiring import default_web_service
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api

logger = Logger(child=True)
app = new_api()

BASE = "/wallet/apple"
REGISTRATION = BASE + "/v1/devices/<deviceLibraryIdentifier>/registrations/<passTypeIdentifier>"


UNAUTHORIZED: dict[int, OpenAPIResponse] = {
    401: {"description": "No `Authorization: ApplePass <token>` of this pass (or no such pass)"}
}
PKPASS: dict[int, OpenAPIResponse] = {
    200: {"description": "The signed pass", "content": {PKPASS_CONTENT_TYPE: {}}},
}


def _header(name: str) -> str | None:
    value: str | None = app.current_event.headers.get(name)
    return value


def _body() -> str | None:
    body: str | None = app.current_event.decoded_body
    return body


def _pkpass(answer: PkpassAnswer) -> Response[Any]:
    headers = {"Last-Modified": answer.last_modified, "Cache-Control": "no-cache"}
    if answer.body is None:
        return Response(status_code=304, headers=headers, body="")
    headers["Content-Disposition"] = 'attachment; filename="loyalty-card.pkpass"'
    # Encoded here rather than by Powertools: its response validation would read raw bytes as UTF-8 text.
    response: Response[Any] = Response(
        status_code=200,
        content_type=PKPASS_CONTENT_TYPE,
        headers=headers,
        body=base64.b64encode(answer.body).decode(),
    )
    response.base64_encoded = True
    return response


def _empty(status: int) -> Response[Any]:
    return Response(status_code=status, body="")


@app.post(
    REGISTRATION + "/<serialNumber>",
    summary="A device registers for a pass's updates",
    responses={
        201: {"description": "Registered"},
        200: {"description": "Already registered"},
        409: {"description": "The pass already follows as many devices as it may"},
        **UNAUTHORIZED,
    },
)
def register(deviceLibraryIdentifier: str, passTypeIdentifier: str, serialNumber: str) -> Response[Any]:
    status = default_web_service().register(
        deviceLibraryIdentifier, passTypeIdentifier, serialNumber, _header("authorization"), _body()
    )
    return _empty(status)


@app.delete(
    REGISTRATION + "/<serialNumber>",
    summary="A device stops following a pass",
    responses={200: {"description": "Unregistered"}, **UNAUTHORIZED},
)
def unregister(deviceLibraryIdentifier: str, passTypeIdentifier: str, serialNumber: str) -> Response[Any]:
    default_web_service().unregister(
        deviceLibraryIdentifier, passTypeIdentifier, serialNumber, _header("authorization")
    )
    return _empty(200)


@app.get(
    REGISTRATION,
    summary="Serial numbers of a device's passes updated since a tag",
    responses={
        200: {"description": "`{serialNumbers, lastUpdated}`: every pass updated after the tag"},
        204: {"description": "Nothing updated since the tag"},
    },
)
def updated_serials(deviceLibraryIdentifier: str, passTypeIdentifier: str) -> Response[Any]:
    since = app.current_event.get_query_string_value("passesUpdatedSince")
    answer = default_web_service().updated_serials(deviceLibraryIdentifier, passTypeIdentifier, since)
    return _empty(204) if answer is None else json_response(200, answer)


@app.get(
    BASE + "/v1/passes/<passTypeIdentifier>/<serialNumber>",
    summary="The latest version of a pass",
    responses={**PKPASS, 304: {"description": "Not modified since If-Modified-Since"}, **UNAUTHORIZED},
)
def latest_pass(passTypeIdentifier: str, serialNumber: str) -> Response[Any]:
    answer = default_web_service().latest_pass(
        passTypeIdentifier, serialNumber, _header("authorization"), _header("if-modified-since")
    )
    return _pkpass(answer)


@app.post(
    BASE + "/v1/log",
    summary="A device reports problems with our passes",
    responses={200: {"description": "Logged"}},
)
def device_log() -> Response[Any]:
    for entry in device_logs(_body()):
        logger.warning("Apple Wallet device log", extra={"deviceLog": entry})
    return _empty(200)


@app.get(
    BASE + "/download/<customerId>/<offerId>",
    summary="Add a pass to Apple Wallet (enroll's link)",
    responses={**PKPASS, 401: {"description": "Not this pass's download link, or the link has expired"}},
)
def download(customerId: str, offerId: str) -> Response[Any]:
    expires = app.current_event.get_query_string_value("expires")
    token = app.current_event.get_query_string_value("token")
    return _pkpass(default_web_service().download(customerId, offerId, expires, token))


handler = lambda_entry(app)
