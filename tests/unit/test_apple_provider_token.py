"""The APNs provider token: ES256, `kid`/`iss`/`iat`, reused for 50 minutes, renewed when APNs refuses it."""

from __future__ import annotations

import jwt

from loyalty.adapters.apple.credentials import parse_apns_key
from loyalty.adapters.apple.push import TOKEN_LIFETIME_SECONDS, ProviderToken
from tests.support.wallet_certs import make_chain

CHAIN = make_chain("pass.test.loyalty", "TEAM123456")


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _token(clock: Clock) -> ProviderToken:
    key = parse_apns_key(CHAIN.apns_secret())
    return ProviderToken(lambda: key, CHAIN.team_id, now=clock)


def _claims(token: str) -> dict[str, object]:
    # The fake clock runs ahead of the real one: check the signature and claims, not the wall time.
    return jwt.decode(token, CHAIN.apns_public_key(), algorithms=["ES256"], options={"verify_iat": False})


def test_token_is_es256_with_key_id_team_and_issue_time() -> None:
    clock = Clock()
    provider = _token(clock)
    token = provider.current()
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256"
    assert header["kid"] == CHAIN.apns_key_id
    assert _claims(token) == {"iss": CHAIN.team_id, "iat": int(clock.now)}


def test_token_is_reused_between_20_and_60_minutes() -> None:
    assert 20 * 60 <= TOKEN_LIFETIME_SECONDS <= 60 * 60
    clock = Clock()
    provider = _token(clock)
    first = provider.current()
    clock.now += TOKEN_LIFETIME_SECONDS - 1
    assert provider.current() == first
    clock.now += 1
    renewed = provider.current()
    assert renewed != first
    assert _claims(renewed)["iat"] == int(clock.now)


def test_a_refused_token_is_renewed_once_not_by_every_thread() -> None:
    clock = Clock()
    provider = _token(clock)
    refused = provider.current()
    clock.now += 1
    provider.renew(refused)
    fresh = provider.current()
    assert fresh != refused
    provider.renew(refused)  # a second thread reporting the same old token changes nothing
    assert provider.current() == fresh
