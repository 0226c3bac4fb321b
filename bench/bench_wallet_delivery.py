"""Delivery you can see: requests to keep and read each pass's wallet delivery, and a Google callback's check.

Measured on DynamoDB Local; the callback check is the time to verify one of Google's signed callbacks.

The scan is not touched: delivery writes come from registrations, pushes, fetches and callbacks, never from it."""

from __future__ import annotations

import time
import uuid
from typing import Any

from bench.figures import Figure
from loyalty.adapters.dynamodb.wallet_delivery import WalletCountStore, WalletDeliveryStore
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.adapters.google.callbacks import CallbackVerifier, parse_root_keys
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.ids import new_id
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.standins.google_callbacks import CallbackSigner

PASSES = 200
PAGE = 50
CALLBACKS = 300
ISSUER = "3388000000012345678"
AT = "2026-12-07T10:00:00Z"


class Requests:
    """DynamoDB requests and items read by the client it is attached to."""

    def __init__(self, client: Any) -> None:
        self.requests = 0
        self.items = 0
        client.meta.events.register("after-call.dynamodb.*", self._seen)

    def _seen(self, parsed: dict[str, Any], **_: Any) -> None:
        self.requests += 1
        if "Item" in parsed:
            self.items += 1
        elif "Responses" in parsed:
            self.items += sum(len(found) for found in parsed["Responses"].values())

    def reset(self) -> None:
        self.requests = self.items = 0


def store_figures(endpoint: str, table: str) -> list[Figure]:
    client = dynamodb_client(endpoint)
    seen = Requests(client)
    wallet = AppleWalletStore(client, table)
    deliveries = WalletDeliveryStore(client, table)
    offer_id = new_id("off")
    passes = [PassAddress(new_id("cus"), offer_id) for _ in range(PASSES)]
    devices = {address: uuid.uuid4().hex for address in passes}
    for address in passes:
        wallet.register(devices[address], "pass.bench", uuid.uuid4().hex[:24], address, "a" * 64, AT)
    per_registration = seen.requests / PASSES
    seen.reset()
    for address in passes:
        deliveries.push_started(address, AT)
        deliveries.push_finished(address, AT, "DELIVERED")
    per_push = seen.requests / PASSES
    seen.reset()
    for address in passes:
        wallet.record_told(devices[address], {address: 2}, AT)
    per_told = seen.requests / PASSES
    seen.reset()
    for address in passes:
        assert wallet.record_fetch(address, 2, AT)
    per_fetch = seen.requests / PASSES
    seen.reset()
    started = time.perf_counter()
    found = deliveries.of_passes(passes[:PAGE])
    page_ms = (time.perf_counter() - started) * 1000
    assert all(d.up_to_date for d in found.values())
    page_requests, page_items = seen.requests, seen.items
    seen.reset()
    WalletCountStore(client, table).of_offer(offer_id)
    return [
        Figure("delivery: requests per device registration", per_registration, "requests", "one transaction"),
        Figure("delivery: writes per pushed pass (start, outcome)", per_push, "requests"),
        Figure("delivery: writes per pass listed as changed to a device", per_told, "requests", "one update"),
        Figure("delivery: requests per fetch", per_fetch, "requests", "the pass's devices, one transaction"),
        Figure(f"delivery: requests per members page of {PAGE}", page_requests, "requests"),
        Figure("delivery: items read per member shown", page_items / PAGE, "items"),
        Figure(f"delivery: read of a page of {PAGE}", page_ms, "ms", "DynamoDB Local"),
        Figure("delivery: requests for the stats' wallets", seen.requests, "requests", "one GetItem"),
    ]


def callback_figures() -> list[Figure]:
    google = CallbackSigner(ISSUER)
    verifier = CallbackVerifier(lambda: parse_root_keys(google.published_keys()), ISSUER)
    bodies = [google.callback(f"{ISSUER}.c", f"{ISSUER}.o{n}", "save") for n in range(CALLBACKS)]
    started = time.perf_counter()
    for body in bodies:
        verifier.verify(body)
    per_callback = (time.perf_counter() - started) / CALLBACKS * 1000
    return [Figure("Google callback verification", per_callback, "ms", "3 ECDSA P-256 checks, keys parsed")]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        table = f"bench-delivery-{int(time.time())}"
        create_table(dynamodb_client(local.endpoint), table)
        return store_figures(local.endpoint, table) + callback_figures()
    finally:
        local.stop()
