"""The Google service account the platform acts as: its key JSON lives in Secrets Manager, never in logs."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient


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


class SecretsManagerServiceAccount:
    """Reads the key JSON from Secrets Manager once and keeps it for the container's life."""

    def __init__(self, client: SecretsManagerClient, secret_id: str) -> None:
        self._client = client
        self._secret_id = secret_id
        self._account: ServiceAccount | None = None
        self._lock = threading.Lock()

    def __call__(self) -> ServiceAccount:
        with self._lock:
            if self._account is None:
                value = self._client.get_secret_value(SecretId=self._secret_id)
                secret = value.get("SecretString")
                if not secret:
                    raise ServiceAccountError(f"secret {self._secret_id} has no string value")
                self._account = parse_service_account(secret)
            return self._account
