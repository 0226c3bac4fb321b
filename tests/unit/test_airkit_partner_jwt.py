"""The partner JWT and the JWKS: what AIR Kit checks, and what must never leak."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from loyalty.adapters.airkit.partner_jwt import sign_partner_jwt
from loyalty.adapters.airkit.partner_keys import PartnerKeyError, keyring_from_secret
from loyalty.adapters.secrets import ParsedSecret

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@cache
def pem(bits: int = 2048, seed: int = 0) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def secret(*kids: str) -> str:
    return json.dumps({"keys": [{"kid": kid, "privateKeyPem": pem(seed=i)} for i, kid in enumerate(kids)]})


def test_the_token_carries_what_air_kit_requires_and_verifies_with_the_published_key() -> None:
    keyring = keyring_from_secret(secret("k1"))
    token = sign_partner_jwt(
        keyring.signing_key("k1"), partner_id="p-1", scope="issue", email="jane@example.com", now=NOW
    )
    assert jwt.get_unverified_header(token) == {"alg": "RS256", "kid": "k1", "typ": "JWT"}
    (published,) = keyring.jwks()["keys"]
    claims = jwt.decode(
        token,
        jwt.PyJWK(published).key,
        algorithms=["RS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    assert claims == {
        "partnerId": "p-1",
        "scope": "issue",
        "email": "jane@example.com",
        "iat": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 300,
    }


def test_the_token_never_lives_longer_than_five_minutes() -> None:
    key = keyring_from_secret(secret("k1")).signing_key("k1")
    token = sign_partner_jwt(key, partner_id="p", scope="issue", email=None, now=NOW, ttl_seconds=3600)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 300
    assert "email" not in claims


def test_during_a_rotation_the_jwks_publishes_every_key_and_the_configured_one_signs() -> None:
    keyring = keyring_from_secret(secret("old", "new"))
    document = keyring.jwks()
    assert [k["kid"] for k in document["keys"]] == ["old", "new"]
    for key in document["keys"]:
        assert set(key) == {"kty", "n", "e", "kid", "use", "alg"}
        assert key["use"] == "sig"
        assert key["alg"] == "RS256"
    token = sign_partner_jwt(keyring.signing_key("new"), partner_id="p", scope="s", email="a@b.co", now=NOW)
    assert jwt.get_unverified_header(token)["kid"] == "new"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            jwt.PyJWK(document["keys"][0]).key,
            algorithms=["RS256"],
            options={"verify_exp": False, "verify_iat": False},
        )


def test_an_unknown_kid_is_an_operator_error() -> None:
    with pytest.raises(PartnerKeyError, match="'missing'"):
        keyring_from_secret(secret("k1")).signing_key("missing")


@pytest.mark.parametrize(
    "value",
    [
        "not json",
        json.dumps({"keys": []}),
        json.dumps({"keys": [{"kid": "a"}]}),
        json.dumps({"nokeys": 1}),
        json.dumps({"keys": [{"kid": "a", "privateKeyPem": pem()}, {"kid": "a", "privateKeyPem": pem()}]}),
    ],
)
def test_a_malformed_secret_is_refused_without_echoing_it(value: str) -> None:
    with pytest.raises(PartnerKeyError) as refused:
        keyring_from_secret(value)
    assert "PRIVATE KEY" not in str(refused.value)


def test_a_weak_key_is_refused() -> None:
    with pytest.raises(PartnerKeyError, match="2048"):
        keyring_from_secret(json.dumps({"keys": [{"kid": "w", "privateKeyPem": pem(1024)}]}))


def test_the_private_key_never_shows_in_a_repr() -> None:
    keyring = keyring_from_secret(secret("k1"))
    assert "private_key" not in repr(keyring.signing_key("k1"))


class CountingSource:
    """A SecretSource stand-in: the secret's current text, counting how often a reader asked."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.reads = 0

    def text(self, name: str) -> str:
        self.reads += 1
        return self.value


def test_the_keyring_is_parsed_again_only_when_the_secret_text_changes() -> None:
    source = CountingSource(secret("k1"))
    keyring = ParsedSecret(source, "loyalty/airkit", keyring_from_secret)  # type: ignore[arg-type]
    first = keyring()
    assert all(keyring() is first for _ in range(5))
    source.value = secret("k1", "k2")
    assert [k.kid for k in keyring().keys] == ["k1", "k2"]
    assert source.reads == 7
