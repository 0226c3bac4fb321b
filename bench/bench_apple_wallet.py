"""Apple Wallet: signing a pass per download or refetch, and APNs pushes over one kept HTTP/2 connection.

The pushes go to the local APNs stand-in, so they measure our side (token reuse, multiplexed connection), not
Apple's network."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from bench.figures import Figure
from loyalty.adapters.apple.content import PassIssuer, pass_document, pass_face
from loyalty.adapters.apple.credentials import parse_apns_key, parse_pass_signing
from loyalty.adapters.apple.package import build_pkpass
from loyalty.adapters.apple.push import ApnsClient, ProviderToken
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import new_pass
from loyalty.domain.tiers import TierLadder
from loyalty_local.standins.apns import ApnsStandIn
from loyalty_local.standins.apple_wallet import make_chain

BUILDS = 200
PUSHES = 500
REPEATS = 3


def run() -> list[Figure]:
    chain = make_chain()
    credentials = parse_pass_signing(chain.certificate_secret())
    offer = Offer(
        new_id("off"),
        new_id("biz"),
        "Coffee",
        "قهوة",
        5,
        "A coffee",
        "قهوة",
        None,
        "2026-01-01T00:00:00.000Z",
    )
    card = new_pass(
        customer_id=new_id("cus"),
        offer_id=offer.offer_id,
        business_id=offer.business_id,
        stamps_required=5,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial=new_secret_token(18),
        auth_token=new_secret_token(24),
        at="2026-01-01T00:00:00.000Z",
    )
    issuer = PassIssuer(chain.pass_type_id, chain.team_id, "Loyalty", "https://api.example.com/wallet/apple")
    ladder = TierLadder.default()
    now = datetime.now(UTC)
    build_samples = []
    size = 0
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(BUILDS):
            face = pass_face(card, offer, ladder.standing(card.rewards_claimed), 90)
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
