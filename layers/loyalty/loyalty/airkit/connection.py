"""This container's AIR Kit connection: settings, partner keyring and HTTP session, made once and reused."""

from __future__ import annotations

from functools import lru_cache

import requests

from loyalty.airkit.client import AirKitClient
from loyalty.airkit.partner_keys import SecretKeyring
from loyalty.airkit.settings import get_airkit_settings
from loyalty.clock import utc_now


@lru_cache(maxsize=1)
def partner_keyring() -> SecretKeyring:
    from loyalty.aws_clients import client

    settings = get_airkit_settings()
    return SecretKeyring(client("secretsmanager"), settings.partner_key_secret_id, settings.key_cache_seconds)


@lru_cache(maxsize=1)
def airkit_client() -> AirKitClient:
    return AirKitClient(requests.Session(), get_airkit_settings(), partner_keyring().get, utc_now)
