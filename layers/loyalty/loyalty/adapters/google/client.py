"""A small client for the walletobjects v1 REST API: the calls the platform makes, in the platform's one HTTP
idiom (loyalty.adapters.http): `GoogleWalletUnavailable` may pass on a retry, `GoogleWalletRejected` will not."""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

import httpx

from loyalty.adapters.http import ServiceRejected, ServiceUnavailable, is_transient

Resource = dict[str, Any]


class BearerTokens(Protocol):
    def bearer(self) -> str: ...
    def forget(self, rejected: str) -> None: ...


class GoogleWalletError(Exception):
    """Google answered with an error, or not at all (then `status` is None)."""

    status: int | None


class GoogleWalletUnavailable(GoogleWalletError, ServiceUnavailable):
    """No answer, a throttle or a server error: the stream record is retried."""


class GoogleWalletRejected(GoogleWalletError, ServiceRejected):
    """Google refused the request as it stands (400, 403, 409 …)."""


class WalletResourceNotFound(GoogleWalletRejected):
    pass


class WalletObjectsClient:
    def __init__(self, base_url: str, tokens: BearerTokens, http: httpx.Client) -> None:
        self._base_url = base_url.rstrip("/")
        self._tokens = tokens
        self._http = http

    def insert_class(self, resource: Resource) -> bool:
        """True when created, False when a class with this id already exists (an insert is safe to repeat)."""
        return self._insert("loyaltyClass", resource)

    def insert_object(self, resource: Resource) -> bool:
        return self._insert("loyaltyObject", resource)

    def get_class(self, class_id: str) -> Resource:
        """The class as Google keeps it (`WalletResourceNotFound` when it has none of this id)."""
        return self._call("GET", f"loyaltyClass/{quote(class_id, safe='')}", None).json()  # type: ignore[no-any-return]

    def patch_class(self, class_id: str, changes: Resource) -> Resource:
        """An offer's edited texts (its program name) reach the class it already has."""
        return self._call("PATCH", f"loyaltyClass/{quote(class_id, safe='')}", changes).json()  # type: ignore[no-any-return]

    def patch_object(self, object_id: str, changes: Resource) -> Resource:
        return self._call("PATCH", f"loyaltyObject/{quote(object_id, safe='')}", changes).json()  # type: ignore[no-any-return]

    def get_object(self, object_id: str) -> Resource:
        """loyaltyobject.get: the object as Google keeps it, with what the platform sets (`hasUsers`)."""
        return self._call("GET", f"loyaltyObject/{quote(object_id, safe='')}", None).json()  # type: ignore[no-any-return]

    def add_object_message(self, object_id: str, request: Resource) -> Resource:
        """loyaltyobject.addmessage: a message on the pass (a TEXT_AND_NOTIFY one notifies the phone)."""
        return self._call("POST", f"loyaltyObject/{quote(object_id, safe='')}/addMessage", request).json()  # type: ignore[no-any-return]

    def _insert(self, collection: str, resource: Resource) -> bool:
        try:
            self._call("POST", collection, resource)
        except GoogleWalletError as exc:
            if exc.status == 409:
                return False
            raise
        return True

    def _call(self, method: str, path: str, body: Resource | None) -> httpx.Response:
        token = self._tokens.bearer()
        response = self._send(method, path, body, token)
        if response.status_code == 401:
            # A token Google no longer takes (revoked, or our clock ran ahead): one fresh grant, one retry.
            self._tokens.forget(token)
            response = self._send(method, path, body, self._tokens.bearer())
        status = response.status_code
        if status >= 400:
            reason = f"{method} {path}: {status} {response.text[:300]}"
            if is_transient(status):
                raise GoogleWalletUnavailable(reason, status)
            raise (WalletResourceNotFound if status == 404 else GoogleWalletRejected)(reason, status)
        return response

    def _send(self, method: str, path: str, body: Resource | None, token: str) -> httpx.Response:
        try:
            return self._http.request(
                method, f"{self._base_url}/{path}", json=body, headers={"Authorization": f"Bearer {token}"}
            )
        except httpx.TransportError as exc:
            raise GoogleWalletUnavailable(f"{method} {path}: {type(exc).__name__}") from exc
