"""Apple Wallet over HTTP (public routes: each call is authorized by the pass's own token, not a user's JWT).

The PassKit web service under `<webServiceURL>/v1/...` as Apple defines it, and the first download of a pass
from the enroll answer's `appleWalletUrl` (`/wallet/apple/download/{customerId}/{offerId}?expires=...&token=...`,
an hour-long link: see `loyalty.adapters.apple.links`).
"""

from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from pydantic import BaseModel, Field

from loyalty.app.wallets.apple_web_service import PKPASS_CONTENT_TYPE, device_logs
from loyalty.bootstrap import apple_web_service
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.render import (
    empty_answer,
    pkpass_answer,
    registration_answer,
    updated_serials_answer,
)
from loyalty.entrypoints.http.wire import ContractModel, failure, ok, responses

logger = Logger(child=True)
app = new_api()

BASE = "/wallet/apple"
REGISTRATION = BASE + "/v1/devices/<deviceLibraryIdentifier>/registrations/<passTypeIdentifier>"


# Apple's own names and bounds (a device library id is at most 128 characters, our serials are 32): a longer
# segment is refused before anything is looked up.
# Patterns too: a segment is percent-encoded on the way, so only characters that travel as themselves have a
# length the server can agree with (pass type ids are reverse-DNS, serials and device ids letters and digits).
DeviceLibraryId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        description="The device library identifier",
        pattern=r"^[A-Za-z0-9._-]{1,128}$",
        json_schema_extra={"pattern": r"^[A-Za-z0-9._-]{1,128}$"},
    ),
]
PassTypeId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=128,
        description="The Pass Type ID",
        pattern=r"^[A-Za-z0-9._-]{1,128}$",
        json_schema_extra={"pattern": r"^[A-Za-z0-9._-]{1,128}$"},
    ),
]
SerialNumber = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="The pass's serial number",
        pattern=r"^[A-Za-z0-9._-]{1,64}$",
        json_schema_extra={"pattern": r"^[A-Za-z0-9._-]{1,64}$"},
    ),
]

UNAUTHORIZED = (401, failure(401, "No `Authorization: ApplePass <token>` of this pass (or no such pass)"))
WALLET_OFF = (404, failure(404, "Apple Wallet is not offered here (APPLE_WALLET_DISABLED)"))
BAD_SEGMENT = (422, failure(422, "A path segment longer than Apple ever sends, or a malformed identifier"))
PKPASS: dict[int, OpenAPIResponse] = {
    200: {
        "description": "The signed pass",
        "content": {PKPASS_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
    },
}


class DeviceLogs(BaseModel):
    """Apple's log body: `logs`, a list of messages (each kept as text); other fields are ignored."""

    logs: list[Any] = Field(description="What the device reports, one message each")


class UpdatedSerials(ContractModel):
    serial_numbers: list[str]
    last_updated: str = Field(description="The tag to send as `passesUpdatedSince` next time")


def _header(name: str) -> str | None:
    value: str | None = app.current_event.headers.get(name)
    return value


def _body() -> str | None:
    body: str | None = app.current_event.decoded_body
    return body


@app.post(
    REGISTRATION + "/<serialNumber>",
    summary="A device registers for a pass's updates",
    operation_id="registerAppleDevice",
    responses=responses(
        {201: ok(None, "Registered"), 200: ok(None, "Already registered")},
        400,
        UNAUTHORIZED,
        WALLET_OFF,
        (409, failure(409, "The pass already follows as many devices as it may (TOO_MANY_DEVICES)")),
        413,
        (422, failure(422, "No valid `pushToken`, or a malformed device library identifier")),
    ),
)
def register(
    deviceLibraryIdentifier: DeviceLibraryId, passTypeIdentifier: PassTypeId, serialNumber: SerialNumber
) -> Response[Any]:
    registered = apple_web_service().register(
        deviceLibraryIdentifier, passTypeIdentifier, serialNumber, _header("authorization"), _body()
    )
    return registration_answer(registered)


@app.delete(
    REGISTRATION + "/<serialNumber>",
    summary="A device stops following a pass",
    operation_id="unregisterAppleDevice",
    responses=responses({200: ok(None, "Unregistered")}, UNAUTHORIZED, WALLET_OFF, BAD_SEGMENT),
)
def unregister(
    deviceLibraryIdentifier: DeviceLibraryId, passTypeIdentifier: PassTypeId, serialNumber: SerialNumber
) -> Response[Any]:
    apple_web_service().unregister(
        deviceLibraryIdentifier, passTypeIdentifier, serialNumber, _header("authorization")
    )
    return empty_answer(200)


@app.get(
    REGISTRATION,
    summary="Serial numbers of a device's passes updated since a tag",
    operation_id="listUpdatedAppleSerials",
    responses=responses(
        {
            200: ok(UpdatedSerials, "Every pass of the device updated after the tag"),
            204: ok(None, "Nothing updated since the tag"),
        },
        WALLET_OFF,
        BAD_SEGMENT,
    ),
)
def updated_serials(
    deviceLibraryIdentifier: DeviceLibraryId, passTypeIdentifier: PassTypeId
) -> Response[Any]:
    since = app.current_event.get_query_string_value("passesUpdatedSince")
    return updated_serials_answer(
        apple_web_service().updated_serials(deviceLibraryIdentifier, passTypeIdentifier, since)
    )


@app.get(
    BASE + "/v1/passes/<passTypeIdentifier>/<serialNumber>",
    summary="The latest version of a pass",
    operation_id="getLatestApplePass",
    responses=responses(
        {**PKPASS, 304: ok(None, "Not modified since If-Modified-Since")},
        UNAUTHORIZED,
        WALLET_OFF,
        BAD_SEGMENT,
    ),
)
def latest_pass(passTypeIdentifier: PassTypeId, serialNumber: SerialNumber) -> Response[Any]:
    answer = apple_web_service().latest_pass(
        passTypeIdentifier, serialNumber, _header("authorization"), _header("if-modified-since")
    )
    return pkpass_answer(answer)


@app.post(
    BASE + "/v1/log",
    summary="A device reports problems with our passes",
    operation_id="logAppleDeviceMessages",
    responses=responses(
        {200: ok(None, "Logged")}, 400, 413, (422, failure(422, "No `logs` list of messages"))
    ),
)
def device_log(payload: Annotated[DeviceLogs, Body()]) -> Response[Any]:
    del payload  # validated for the document; the messages are read and bounded by device_logs
    for entry in device_logs(_body()):
        logger.warning("Apple Wallet device log", extra={"deviceLog": entry})
    return empty_answer(200)


@app.get(
    BASE + "/download/<customerId>/<offerId>",
    summary="Add a pass to Apple Wallet (enroll's link)",
    operation_id="downloadApplePass",
    responses=responses(
        PKPASS, (401, failure(401, "Not this pass's download link, or the link has expired")), WALLET_OFF
    ),
)
def download(customerId: str, offerId: str) -> Response[Any]:
    expires = app.current_event.get_query_string_value("expires")
    token = app.current_event.get_query_string_value("token")
    return pkpass_answer(apple_web_service().download(customerId, offerId, expires, token))


# Phones reach it through its function URL as well as the HttpApi routes (docs/decisions/0021j).
handler = lambda_entry(app, function_url=True)
