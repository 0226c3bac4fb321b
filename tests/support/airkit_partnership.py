"""Our side of an AIR Kit partnership, on this machine: a partner key, its JWKS served over HTTP, the sandbox
that verifies against it, and a client configured for them."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from loyalty.adapters.airkit.client import AirKitClient
from loyalty.adapters.airkit.partner_keys import PartnerKeyring, keyring_from_secret
from loyalty.adapters.http import new_client
from loyalty.domain.clock import utc_now
from loyalty.settings import AirKitSettings
from loyalty_local.standins.airkit import (
    LOCAL_CREDENTIAL_ID,
    LOCAL_ISSUER_DID,
    LOCAL_PARTNER_ID,
    AirKitSandbox,
    SandboxConfig,
    new_private_pem,
)

KID = "it-key-1"


@dataclass
class Partnership:
    keyring: PartnerKeyring
    sandbox: AirKitSandbox
    jwks_url: str

    def settings(self, **changes: Any) -> AirKitSettings:
        values: dict[str, Any] = {
            "AIRKIT_PARTNER_ID": LOCAL_PARTNER_ID,
            "AIRKIT_KEY_ID": KID,
            "AIRKIT_ISSUER_DID": LOCAL_ISSUER_DID,
            "AIRKIT_CREDENTIAL_ID": LOCAL_CREDENTIAL_ID,
            "AIRKIT_BASE_URL": self.sandbox.base_url,
            "AIRKIT_PARTNER_KEY_SECRET_ID": "unused",
            "AIRKIT_READ_TIMEOUT_SECONDS": 2,
        }
        values.update(changes)
        return AirKitSettings(**values)

    def client(self, **changes: Any) -> AirKitClient:
        settings = self.settings(**changes)
        http = new_client(
            connect_seconds=settings.connect_timeout_seconds, read_seconds=settings.read_timeout_seconds
        )
        return AirKitClient(http, settings, lambda: self.keyring, utc_now)


@contextmanager
def partnership() -> Iterator[Partnership]:
    keyring = keyring_from_secret(json.dumps({"keys": [{"kid": KID, "privateKeyPem": new_private_pem()}]}))
    document = json.dumps(keyring.jwks()).encode()

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    sandbox = AirKitSandbox(SandboxConfig(jwks_url=lambda: url)).serve()
    try:
        yield Partnership(keyring, sandbox, url)
    finally:
        sandbox.stop()
        server.shutdown()
        server.server_close()
