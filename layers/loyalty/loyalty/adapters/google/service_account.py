"""The Google service account the platform acts as: its key JSON lives in Secrets Manager (read through
`loyalty.adapters.secrets`), never in logs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key


class ServiceAccountError(Exception):
    """The key JSON is missing or unusable: an operator's problem, never a client's."""


@dataclass(frozen=True)
class ServiceAccount:
    client_email: str
    private_key_id: str
    private_key: RSAPrivateKey = field(repr=False)

    def __repr__(self) -> str:
        return f"ServiceAccount(client_email={self.client_email!r}, private_key_id={self.private_key_id!r})"


def parse_service_account(key_json: str) -> ServiceAccount:
    """A Google service-account key file (`type: service_account`) as downloaded from the Cloud console."""
    try:
        document: dict[str, Any] = json.loads(key_json)
        client_email = document["client_email"]
        private_key_id = document.get("private_key_id", "")
        key = load_pem_private_key(document["private_key"].encode(), password=None)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        # The message names what failed, never the content: this text ends up in logs.
        raise ServiceAccountError(f"service-account key JSON is unusable ({type(exc).__name__})") from None
    if document.get("type", "service_account") != "service_account":
        raise ServiceAccountError("the secret is not a service-account key")
    if not isinstance(key, RSAPrivateKey):
        raise ServiceAccountError("the service-account key is not an RSA key")
    return ServiceAccount(client_email=client_email, private_key_id=private_key_id, private_key=key)
