"""This container's AIR Kit connection: settings, partner keyring and HTTP session, made once and reused."""

from __future__ import annotations

from functools import lru_cache

import requests

from loyalty.adapters.airkit.client import AirKitClient
from loyalty.adapters.airkit.partner_keys import PartnerKeyring, keyring_from_secret
from loyalty.adapters.airkit.settings import get_airkit_settings
from loyalty.adapters.secrets import ParsedSecret, container_secrets
from loyalty.domain.clock import utc_now


@lru_cache(maxsize=1)
def _partner_key_secret() -> ParsedSecret[PartnerKeyring]:
    return ParsedSecret(container_secrets(), get_airkit_settings().partner_key_secret_id, keyring_from_secret)


def partner_keyring() -> PartnerKeyring:
    """The keys in service now: a key added to the secret is published (and can sign) within the secrets' max
    age, without a cold start."""
    return _partner_key_secret()()


@lru_cache(maxsize=1)
def airkit_client() -> AirKitClient:
    return AirKitClient(requests.Session(), get_airkit_settings(), partner_keyring, utc_now)
