"""Campaign fan-out through the local stack: the owner's POST at the local gateway, moto's SQS and the stack's queue
poller running functions/campaign-send as template.yaml subscribes it, the wallets' stand-ins answering.

10,000 recipients, as the issue asks. The members are written straight into the stack's table in parallel batches
(bench/loaders.py; enrolling 10,000 through the gateway would measure enrollment), and the stream records of those
writes (the wallet sync inserting each pass's Google object, the ledger) are left to settle before the clock
starts: that settle is printed apart, it is not the fan-out. The queue poller runs as many campaign-send
invocations at once as the event source mapping's MaximumConcurrency (template.yaml: 5, bounded by the local
runtime's processes per function), and each chunk's recipients are delivered a few at a time
(app/campaigns/fanout.py), as on AWS.
"""

from __future__ import annotations

import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from bench.bench_campaigns import ARABIC, ENGLISH, _pass
from bench.figures import Figure
from bench.loaders import load_items
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty_local.cloud.dynamodb_local import dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.stack import LocalStack, StackConfig
from loyalty_local.tools.local_accounts import ensure_business

RECIPIENTS = 10_000
BUSINESS = "biz_benchcampaignstack0001"
TIMEOUT_SECONDS = 2400.0


def _fan_out_on(stack: LocalStack, recipients: int) -> tuple[float, float, dict[str, Any]]:
    """The seconds the stack took to settle the loaded passes' own stream records, the campaign's fan-out
    seconds, and its counts."""
    if stack.dynamodb is None or stack.user_pool is None:
        raise RuntimeError("the local stack did not start")
    table = stack.config.table_name
    ddb = dynamodb_client(stack.dynamodb.endpoint)
    ensure_business(ddb, table, BUSINESS, "branch-1")
    owner = {"Authorization": f"Bearer {stack.user_pool.issue('owner', BUSINESS)}"}
    base = stack.base_url
    made = requests.post(
        f"{base}/api/offers", json={"name": "Bench Card", "stampsRequired": 5}, headers=owner, timeout=60
    )
    made.raise_for_status()
    offer = DynamoOfferStore(ddb, table).get(str(made.json()["offerId"]))
    if offer is None:
        raise RuntimeError("the offer was not kept")
    rng = random.Random(25)
    passes = [_pass(rng, offer, True) for _ in range(recipients)]
    loading = time.perf_counter()
    load_items(ddb, table, [pass_to_item(pass_) for pass_ in passes])
    # The passes' own stream records (ledger, directory, Google objects) are handled before the clock starts.
    if stack.poller is not None:
        stack.poller.wait_idle(timeout=TIMEOUT_SECONDS)
    settled = time.perf_counter() - loading

    started = time.perf_counter()
    sent = requests.post(
        f"{base}/api/offers/{offer.offer_id}/campaigns",
        json={"message": ENGLISH[:160], "messageAr": ARABIC[:160], "audience": {"segment": "ALL"}},
        headers={**owner, "Idempotency-Key": uuid.uuid4().hex},
        timeout=60,
    )
    if sent.status_code != 202:
        raise RuntimeError(f"the campaign was refused: {sent.status_code} {sent.text}")
    campaign_url = f"{base}/api/offers/{offer.offer_id}/campaigns/{sent.json()['campaignId']}"
    while time.perf_counter() - started < TIMEOUT_SECONDS:
        campaign: dict[str, Any] = requests.get(campaign_url, headers=owner, timeout=60).json()
        counts = campaign["counts"]
        if (
            campaign["status"] == "SENT"
            and counts["sent"] == recipients
            and (counts["delivered"] + counts["failed"] + counts["deferred"] >= recipients)
        ):
            return settled, time.perf_counter() - started, counts
        time.sleep(0.5)
    raise RuntimeError(f"the campaign did not reach every member in {TIMEOUT_SECONDS:.0f} s: {campaign}")


def measure(recipients: int) -> tuple[float, float, dict[str, Any]]:
    local = start_dynamodb_local()
    try:
        with tempfile.TemporaryDirectory() as keys:
            stack = LocalStack(
                StackConfig(
                    port=0,
                    table_name=f"bench-campaign-stack-{uuid.uuid4().hex[:6]}",
                    user_pool_file=Path(keys) / "user-pool.json",
                    dynamodb=local,
                    # The functions' own INFO lines would bury the figures.
                    overrides={"POWERTOOLS_LOG_LEVEL": "WARNING"},
                )
            ).start()
            try:
                return _fan_out_on(stack, recipients)
            finally:
                stack.stop()
    finally:
        local.stop()


def run() -> list[Figure]:
    settled, seconds, counts = measure(RECIPIENTS)
    return [
        Figure(
            f"campaign fan-out seconds for {RECIPIENTS:,} recipients (local stack)",
            seconds,
            "s",
            "POST to every recipient's wallets: moto SQS, the queue poller, campaign-send, stand-ins",
        ),
        Figure(
            "  campaign fan-out per recipient (local stack)",
            seconds / RECIPIENTS * 1000,
            "ms",
            "aim < 20",
        ),
        Figure(
            "  recipients delivered on the local stack",
            counts["delivered"],
            "recipients",
            f"sent {counts['sent']}, failed {counts['failed']}, deferred {counts['deferred']}",
        ),
        Figure(
            f"  loading {RECIPIENTS:,} members and settling their stream records (not timed above)",
            settled,
            "s",
        ),
    ]
