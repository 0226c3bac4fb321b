"""Google's save/delete callbacks: believed only once Google's signature chain verifies (ECv2SigningOnly), applied
once. The signer is the Google stand-in's, with its own test root key in place of Google's published ones."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from loyalty.adapters.google.callbacks import CallbackVerifier, ForgedCallback, parse_root_keys
from loyalty.app.ports.delivery import GoogleCallback
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.wallets.google_callbacks import accept_google_callback
from loyalty.domain.errors import MalformedRequest
from loyalty_local.standins.google_callbacks import CallbackSigner

ISSUER = "3388000000012345678"
CUSTOMER, OFFER = "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa", "off_bbbbbbbbbbbbbbbbbbbbbbbbbb"
OBJECT = f"{ISSUER}.{CUSTOMER}-{OFFER}"
CLASS = f"{ISSUER}.{OFFER}"


@pytest.fixture(scope="module")
def google() -> CallbackSigner:
    return CallbackSigner(ISSUER)


def _verifier(signer: CallbackSigner, issuer: str = ISSUER) -> CallbackVerifier:
    return CallbackVerifier(lambda: parse_root_keys(signer.published_keys()), issuer)


def test_a_save_signed_by_google_says_which_pass_was_saved(google: CallbackSigner) -> None:
    event = _verifier(google).verify(google.callback(CLASS, OBJECT, "save"))
    assert (event.object_id, event.saved, event.address) == (OBJECT, True, PassAddress(CUSTOMER, OFFER))
    assert _verifier(google).verify(google.callback(CLASS, OBJECT, "del")).saved is False


def test_a_callback_signed_by_anyone_else_is_forged(google: CallbackSigner) -> None:
    impostor = CallbackSigner(ISSUER)
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(impostor.callback(CLASS, OBJECT, "save"))


def _tampered(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    message = json.loads(body["signedMessage"])
    message.update(changes)
    return {**body, "signedMessage": json.dumps(message)}


def test_a_message_changed_after_signing_is_forged(google: CallbackSigner) -> None:
    body = google.callback(CLASS, OBJECT, "save")
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(_tampered(body, eventType="del"))
    other = f"{ISSUER}.cus_cccccccccccccccccccccccccc-{OFFER}"
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(_tampered(body, objectId=other))


def test_an_intermediate_key_not_signed_by_the_root_is_forged(google: CallbackSigner) -> None:
    body = google.callback(CLASS, OBJECT, "save")
    impostor = CallbackSigner(ISSUER)
    # The impostor's own intermediate key, presented with the root signatures Google gave another key.
    forged = {**impostor.callback(CLASS, OBJECT, "save")}
    forged["intermediateSigningKey"] = {
        **forged["intermediateSigningKey"],
        "signatures": body["intermediateSigningKey"]["signatures"],
    }
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(forged)


def test_a_message_for_another_issuer_is_forged(google: CallbackSigner) -> None:
    with pytest.raises(ForgedCallback):
        _verifier(google, issuer="3388000000099999999").verify(google.callback(CLASS, OBJECT, "save"))


def test_an_expired_message_is_refused(google: CallbackSigner) -> None:
    old = google.callback(CLASS, OBJECT, "save", now_ms=int(time.time() * 1000) - 10 * 60 * 1000)
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(old)


def test_an_expired_intermediate_key_is_refused(google: CallbackSigner) -> None:
    # Signed two days ago with a long-lived message: the message is current, its signing key is not.
    body = google.callback(
        CLASS,
        OBJECT,
        "save",
        now_ms=int(time.time() * 1000) - 48 * 3600 * 1000,
        message_lifetime_ms=72 * 3600 * 1000,
    )
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(body)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"protocolVersion": "ECv2"},
        {"protocolVersion": "ECv2SigningOnly", "intermediateSigningKey": "x"},
        [],
    ],
)
def test_anything_else_is_forged(google: CallbackSigner, body: object) -> None:
    with pytest.raises(ForgedCallback):
        _verifier(google).verify(body)


class _Saves:
    def __init__(self) -> None:
        self.latest: dict[PassAddress, int] = {}
        self.saved: dict[PassAddress, bool] = {}

    def record(self, event: GoogleCallback, address: PassAddress, at: str) -> bool:
        if self.latest.get(address, -1) >= event.sent_at_millis:
            return False
        self.latest[address], self.saved[address] = event.sent_at_millis, event.saved
        return True


def test_a_callback_is_applied_once(google: CallbackSigner) -> None:
    saves = _Saves()
    body = json.dumps(google.callback(CLASS, OBJECT, "save"))
    assert accept_google_callback(_verifier(google), saves, body, "2026-12-07T10:00:00Z") is True
    assert accept_google_callback(_verifier(google), saves, body, "2026-12-07T10:00:01Z") is False
    assert saves.saved == {PassAddress(CUSTOMER, OFFER): True}


def test_a_forged_callback_changes_nothing(google: CallbackSigner) -> None:
    saves = _Saves()
    forged = json.dumps(CallbackSigner(ISSUER).callback(CLASS, OBJECT, "del"))
    with pytest.raises(ForgedCallback):
        accept_google_callback(_verifier(google), saves, forged, "2026-12-07T10:00:00Z")
    assert saves.saved == {}
    with pytest.raises(MalformedRequest):
        accept_google_callback(_verifier(google), saves, "{", "2026-12-07T10:00:00Z")


def test_an_object_of_another_issuer_is_acknowledged_and_ignored(google: CallbackSigner) -> None:
    saves = _Saves()
    body = json.dumps(google.callback("1234.x", "1234.someone-elses", "save"))
    assert accept_google_callback(_verifier(google), saves, body, "2026-12-07T10:00:00Z") is False
    assert saves.saved == {}
