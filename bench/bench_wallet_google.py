"""Google Wallet: save-link signing (on the enroll path) and wallet-sync throughput against the local stand-in."""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import replace
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.adapters.google.client import WalletObjectsClient
from loyalty.adapters.google.oauth import ServiceAccountTokens
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.adapters.google.save_link import GoogleWalletLinks
from loyalty.adapters.google.service_account import parse_service_account
from loyalty.adapters.http import new_client
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.offers import Offer
from loyalty.domain.passes import new_pass
from loyalty_local.standins.google_wallet import GoogleWalletStandin, throwaway_service_account

ISSUER = "3388000000099999999"
LINKS = 500
CUSTOMERS = 40
SCANS_EACH = 4
REPEATS = 5

Record = dict[str, Any]

OFFER = Offer(
    "off_benchbenchbenchbenchbench00",
    "biz_bench",
    "Coffee",
    None,
    5,
    None,
    None,
    None,
    "2026-01-01T00:00:00.000Z",
)


class _Offers:
    def get(self, offer_id: str) -> Offer | None:
        return OFFER if offer_id == OFFER.offer_id else None


def seconds_per_link(links: GoogleWalletLinks) -> float:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for n in range(LINKS):
            links.save_url(f"cus_{n:026d}", OFFER.offer_id)
        samples.append((time.perf_counter() - started) / LINKS)
    return statistics.median(samples)


def sync_records() -> tuple[list[Record], list[Record]]:
    """Enrollment records, then a scanner's day of stamps, as the stream carries them."""
    sequence = iter(range(1, 1_000_000))

    def record(event: str, new: Record, old: Record | None) -> Record:
        images = {"NewImage": new, **({"OldImage": old} if old else {})}
        return {"eventName": event, "dynamodb": {"SequenceNumber": str(next(sequence)), **images}}

    created = [record("INSERT", to_item(offer_to_item(OFFER)), None)]
    scans = []
    for n in range(CUSTOMERS):
        pass_ = new_pass(
            customer_id=f"cus_{n:026d}",
            offer_id=OFFER.offer_id,
            business_id="biz_bench",
            stamps_required=5,
            email=f"c{n}@example.com",
            customer_name="Customer",
            preferred_language="en",
            pass_serial=f"s{n}",
            auth_token="t" * 24,
            at="2026-01-01T00:00:00.000Z",
        )
        created.append(record("INSERT", pass_to_item(pass_), None))
        for _ in range(SCANS_EACH):
            after = replace(pass_, current_stamps=pass_.current_stamps + 1, version=pass_.version + 1)
            scans.append(record("MODIFY", pass_to_item(after), pass_to_item(pass_)))
            pass_ = after
    return created, scans


def run() -> list[Figure]:
    account = throwaway_service_account()
    parsed = parse_service_account(json.dumps(account))
    links = GoogleWalletLinks(ISSUER, lambda: parsed, "https://pay.google.com/gp/v/save/")
    per_link = seconds_per_link(links)

    standin = GoogleWalletStandin(ISSUER).start()
    standin.trust(account)
    try:
        http = new_client(connect_seconds=5, read_seconds=10)
        tokens = ServiceAccountTokens(lambda: parsed, standin.token_url, http)
        google = GoogleWalletPasses(
            WalletObjectsClient(standin.api_base_url, tokens, http),
            ISSUER,
            "Bench",
            "https://x.test/logo.png",
        )
        wallets = Wallets(_Offers(), None, google)
        created, scans = sync_records()
        assert sync_batch(stream_records(created), wallets) == []
        started = time.perf_counter()
        for start in range(0, len(scans), 25):
            assert sync_batch(stream_records(scans[start : start + 25]), wallets) == []
        per_scan = (time.perf_counter() - started) / len(scans)
        patches = len(standin.object_patches())
    finally:
        standin.stop()
    return [
        Figure(
            "save link (RS256 JWT) per enrollment", per_link * 1e3, "ms", f"median of {REPEATS} x {LINKS}"
        ),
        Figure(
            "wallet sync per scan record (build + one PATCH, loopback)",
            per_scan * 1e3,
            "ms",
            f"{patches} PATCHes for {len(scans)} scans",
        ),
    ]
