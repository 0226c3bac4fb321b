"""What several benches set up alike: DynamoDB Local for the length of a measurement, and a signed Apple pass's
makings (a certificate chain of the local stand-in, an offer and a pass of it)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from bench.figures import Figure
from loyalty.adapters.apple.content import PassIssuer
from loyalty.adapters.apple.credentials import PassSigningCredentials, parse_pass_signing
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, new_pass
from loyalty_local.cloud.dynamodb_local import start_dynamodb_local
from loyalty_local.standins.apple_wallet import AppleTestChain, make_chain

# DynamoDB's most items a BatchWriteItem.
WRITE_BATCH = 25


def in_dynamodb_local(measure: Callable[[str], list[Figure]]) -> list[Figure]:
    """`measure` run against a DynamoDB Local started for it (and stopped after), given its endpoint."""
    local = start_dynamodb_local()
    try:
        return measure(local.endpoint)
    finally:
        local.stop()


@dataclass(frozen=True)
class ApplePassMakings:
    chain: AppleTestChain
    credentials: PassSigningCredentials
    offer: Offer
    pass_: Pass
    issuer: PassIssuer


def apple_pass_makings() -> ApplePassMakings:
    """A fresh certificate chain, a 5-stamp offer with Arabic names, and a new pass of it."""
    chain = make_chain()
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
    pass_ = new_pass(
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
    return ApplePassMakings(chain, parse_pass_signing(chain.certificate_secret()), offer, pass_, issuer)


def load_items(client: Any, table: str, items: list[dict[str, Any]], *, writers: int = 4) -> None:
    """Put DynamoDB items (already in DynamoDB's JSON) into `table` fast: BatchWriteItem of 25 at a time, `writers`
    batches in flight, each batch's unprocessed items written again until none is left."""

    def write(batch: list[dict[str, Any]]) -> None:
        requests = [{"PutRequest": {"Item": item}} for item in batch]
        while requests:
            answer = client.batch_write_item(RequestItems={table: requests})
            requests = answer.get("UnprocessedItems", {}).get(table, [])

    batches = [items[i : i + WRITE_BATCH] for i in range(0, len(items), WRITE_BATCH)]
    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(write, batches))
