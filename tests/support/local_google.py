"""A Google stand-in as `make run` starts it (the local issuer, its key kept in the data directory), for the deploy
steps' tests, and a client of it to set objects and classes up with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.service_account import parse_service_account
from loyalty.adapters.http import new_client
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin, local_service_account


@contextmanager
def local_google_standin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[GoogleWalletStandin, WalletObjectsClient]]:
    monkeypatch.setenv("LOYALTY_LOCAL_DATA_DIR", str(tmp_path))
    account = local_service_account(tmp_path)
    standin = GoogleWalletStandin(LOCAL_ISSUER_ID).start()
    standin.trust(account)
    http = new_client(connect_seconds=5, read_seconds=5)
    parsed = parse_service_account(json.dumps(account))
    client = WalletObjectsClient(
        standin.api_base_url, ServiceAccountTokens(lambda: parsed, standin.token_url, http), http
    )
    try:
        yield standin, client
    finally:
        standin.stop()
