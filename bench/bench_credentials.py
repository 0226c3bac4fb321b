"""Partner JWT signing and one AIR Kit round trip (issue + status) against the local sandbox."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from datetime import UTC, datetime

from bench.figures import Figure
from loyalty.adapters.airkit.partner_jwt import sign_partner_jwt
from loyalty.adapters.airkit.partner_keys import keyring_from_secret
from loyalty.app.ports.credentials import Accepted
from loyalty_local.standins.airkit import new_private_pem
from tests.support.airkit_partnership import partnership

SIGNATURES = 300
ROUND_TRIPS = 40
SUBJECT = {
    "tier": "Gold Member",
    "lifetimePoints": 30,
    "memberSince": "2026-01-01",
    "upgradedAt": "2026-11-23T10:00:00.000Z",
}


def seconds_per_signature() -> float:
    keyring = keyring_from_secret(json.dumps({"keys": [{"kid": "b", "privateKeyPem": new_private_pem()}]}))
    key = keyring.signing_key("b")
    now = datetime.now(UTC)
    started = time.perf_counter()
    for _ in range(SIGNATURES):
        sign_partner_jwt(key, partner_id="p", scope="issue", email="a@example.com", now=now)
    return (time.perf_counter() - started) / SIGNATURES


def round_trip_seconds() -> list[float]:
    samples = []
    with partnership() as air:
        client = air.client()
        for _ in range(ROUND_TRIPS):
            email = f"bench-{uuid.uuid4().hex[:8]}@example.com"
            started = time.perf_counter()
            accepted = client.issue_on_behalf(email, SUBJECT)
            assert isinstance(accepted, Accepted)
            client.credential_status(accepted.core_claim_hash, email)
            samples.append(time.perf_counter() - started)
    return samples


def run() -> list[Figure]:
    trips = sorted(round_trip_seconds())
    return [
        Figure("partner JWT (RS256, 2048-bit) signed", seconds_per_signature() * 1000, "ms", "per token"),
        Figure(
            "issue + status against the local sandbox, median",
            statistics.median(trips) * 1000,
            "ms",
            "2 JWTs signed, 2 verified (JWKS cached)",
        ),
        Figure("issue + status against the local sandbox, p90", trips[int(len(trips) * 0.9)] * 1000, "ms"),
    ]
