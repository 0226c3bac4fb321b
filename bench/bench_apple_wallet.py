"""Apple Wallet: signing a pass per download or refetch, and APNs pushes over one kept HTTP/2 connection.

The pushes go to the local APNs stand-in, so they measure our side (token reuse, multiplexed connection), not
Apple's network."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from bench.figures import Figure
from bench.loaders import apple_pass_makings
from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty.adapters.apple.credentials import parse_apns_key
from loyalty.adapters.apple.package import build_pkpass
from loyalty.adapters.apple.push import ApnsClient, ProviderToken
from loyalty.domain.tiers import TierLadder
from loyalty_local.standins.apns import ApnsStandIn

BUILDS = 200
PUSHES = 500
REPEATS = 3


def run() -> list[Figure]:
    makings = apple_pass_makings()
    chain, credentials, offer, pass_, issuer = (
        makings.chain,
        makings.credentials,
        makings.offer,
        makings.pass_,
        makings.issuer,
    )
    ladder = TierLadder.default()
    now = datetime.now(UTC)
    build_samples = []
    size = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(BUILDS):
            face = pass_face(pass_, offer, ladder.standing(pass_.rewards_claimed), 90)
            size = len(build_pkpass(pass_document(face, issuer), credentials, now))
        build_samples.append((time.perf_counter() - started) / BUILDS)

    standin = ApnsStandIn(
        chain.apns_public_key(), chain.apns_key_id, chain.team_id, frozenset({chain.pass_type_id})
    ).start()
    key = parse_apns_key(chain.apns_secret())
    client = ApnsClient.connect(standin.endpoint, ProviderToken(lambda: key, chain.team_id), timeout=10)
    try:
        client.push(
            "0" * 64, chain.pass_type_id
        )  # connection and provider token made once, as in a warm container
        started = time.perf_counter()
        for n in range(PUSHES):
            client.push(f"{n:064x}", chain.pass_type_id)
        push_seconds = (time.perf_counter() - started) / PUSHES
    finally:
        client.close()
        standin.stop()
    return [
        Figure(
            "pkpass build + sign (RSA-2048, SHA-256), median per pass",
            statistics.median(build_samples) * 1000,
            "ms",
        ),
        Figure("pkpass size", size / 1024, "KiB"),
        Figure(
            "APNs push over one kept HTTP/2 connection (local stand-in)",
            push_seconds * 1000,
            "ms/push",
            f"{standin.connections_accepted} connection(s) for {PUSHES + 1} pushes",
        ),
    ]
