"""A small client for the walletobjects v1 REST API: the four calls the platform makes, with timeouts."""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

import requests

Resource = dict[str, Any]


class BearerTokens(Protocol):
    def bearer(self) -> str: ...
    def forget(self, rejected: str) -> None: ...


class GoogleWalletError(Exception):
    """Google answered with an error, or not at all (then `status` is None)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class WalletResourceNotFound(GoogleWalletError):
    pass


class WalletObjectsClient:
    def __init__(
        self, base_url: str, tokens: BearerTokens, session: requests.Session, timeout_seconds: float = 10.0
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._session = session
        self._timeout = timeout_seconds

    def insert_class(self, resource: Resource) -> bool:
        """True when created, False when a class with this id already exists (an insert is safe to repeat)."""
        return self._insert("loyaltyClass", resource)

    def insert_object(self, resource: Resource) -> bool:
        return self._insert("loyaltyObject", resource)

    def patch_class(self, class_id: str, changes: Resource) -> Resource:
        """An offer's edited texts (its program name) reach the class it already has."""
        return self._call("PATCH", f"loyaltyClass/{quote(class_id, safe='')}", changes).json()  # type: ignore[no-any-return]

    def patch_object(self, object_id: str, changes: Resource) -> Resource:
        return self._call("PATCH", f"loyaltyObject/{quote(object_id, safe='')}", changes).json()  # type: ignore[no-any-return]

    def _insert(self, collection: str, resource: Resource) -> bool:
        try:
            self._call("POST", collection, resource)
        except GoogleWalletError as exc:
            if exc.status == 409:
                return False
            raise
        return True

    def _call(self, method: str, path: str, body: Resource | None) -> requests.Response:
        token = self._tokens.bearer()
        response = self._send(method, path, body, token)
        if response.status_code == 401:
            # A token Google no longer takes (revoked, or our clock ran ahead): one fresh grant, one retry.
            self._tokens.forget(token)
            response = self._send(method, path, body, self._tokens.bearer())
        if response.status_code >= 400:
            error = WalletResourceNotFound if response.status_code == 404 else GoogleWalletError
            raise error(
                f"{method} {path}: {response.status_code} {response.text[:300]}", response.status_code
            )
        return response

    def _send(self, method: str, path: str, body: Resource | None, token: str) -> requests.Response:
        try:
            return self._session.request(
                method,
                f"{self._base_url}/{path}",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise GoogleWalletError(f"{method} {path}: {type(exc).__name__}") from exc
