"""An iPhone holding one pass, as the e2e suites use it: what Wallet sends to the webServiceURL the pass names."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import requests

from loyalty_local.standins.wallet_pass_rules import assert_wallet_accepts

DEVICE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


class Phone:
    """An iPhone holding one pass: what Wallet sends, to the webServiceURL the pass names."""

    def __init__(self, pass_json: dict[str, Any], device: str = DEVICE) -> None:
        self.pass_json = pass_json
        self.base = pass_json["webServiceURL"]
        self.type = pass_json["passTypeIdentifier"]
        self.serial = pass_json["serialNumber"]
        self.auth = {"Authorization": f"ApplePass {pass_json['authenticationToken']}"}
        self.device = device
        # The `lastUpdated` tag of the device's last list of changes (Wallet keeps it per pass type).
        self.tag: str | None = None

    def register(self, push_token: str, auth: dict[str, str] | None = None) -> requests.Response:
        return requests.post(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}/{self.serial}",
            json={"pushToken": push_token},
            headers=self.auth if auth is None else auth,
            timeout=30,
        )

    def unregister(self, auth: dict[str, str] | None = None) -> requests.Response:
        return requests.delete(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}/{self.serial}",
            headers=self.auth if auth is None else auth,
            timeout=30,
        )

    def updated(self, tag: str | None = None) -> requests.Response:
        params = {"passesUpdatedSince": tag} if tag else None
        return requests.get(
            f"{self.base}/v1/devices/{self.device}/registrations/{self.type}", params=params, timeout=30
        )

    def answer_push(self) -> list[requests.Response]:
        """What Wallet does on a push (PassKit Web Service reference): it asks which of its passes changed since
        its tag, keeps the new tag, and downloads each pass listed (here, the one it holds). Nothing listed (204),
        nothing downloaded."""
        listed = self.updated(self.tag)
        assert listed.status_code in (200, 204), listed.text
        if listed.status_code == 204:
            return []
        body = listed.json()
        self.tag = body["lastUpdated"]
        return [self.latest() for serial in body["serialNumbers"] if serial == self.serial]

    def latest(self, since: str | None = None, auth: dict[str, str] | None = None) -> requests.Response:
        headers = dict(self.auth if auth is None else auth)
        if since:
            headers["If-Modified-Since"] = since
        return requests.get(f"{self.base}/v1/passes/{self.type}/{self.serial}", headers=headers, timeout=30)


def pkpass_files(pkpass: bytes) -> dict[str, bytes]:
    """The package's files, once Wallet's parser has taken its pass.json (a pass the phone refuses fails here)."""
    with zipfile.ZipFile(io.BytesIO(pkpass)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert_wallet_accepts(json.loads(files["pass.json"]))
    return files
