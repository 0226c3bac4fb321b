"""This container's AIR Kit connection: settings, partner keyring and HTTP client, made once and reused."""

from __future__ import annotations

from functools import lru_cache

from loyalty.adapters.airkit.client import AirKitClient
from loyalty.adapters.airkit.partner_keys import SecretKeyring
from loyalty.adapters.airkit.settings import get_airkit_settings
from loyalty.adapters.http import new_client
from loyalty.domain.clock import utc_now


@lru_cache(maxsize=1)
def partner_keyring() -> SecretKeyring:
    from loyalty.adapters.aws_clients import client

    settings = get_airkit_settings()
    return SecretKeyring(client("secretsmanager"), settings.partner_key_secret_id, settings.key_cache_seconds)


@lru_cache(maxsize=1)
def airkit_client() -> AirKitClient:
    settings = get_airkit_settings()
    http = new_client(
        connect_seconds=settings.connect_timeout_seconds, read_seconds=settings.read_timeout_seconds
    )
    return AirKitClient(http, settings, partner_keyring().get, utc_now)
