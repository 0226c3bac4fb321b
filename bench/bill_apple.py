"""The honest bill's measured parts beyond the scan: what a pushed iPhone's two requests cost (the list of changed
serials, then the signed pass), and how many log bytes a request writes.

The two requests run through the PassKit web service use case against a table created from template.yaml in
DynamoDB Local, every DynamoDB call metered, with a real signing chain, the business profile read as each render
reads it, and the fetch recorded as the deployed function records it. Each request's time is split into the
process's CPU time and the rest (waiting on DynamoDB): Lambda gives a function CPU in proportion to its memory, a
full vCPU at 1,769 MB (Lambda developer guide, "Configuring Lambda function memory"), so on AWS the CPU part
stretches by 1,769 / memory below that and the waiting does not. The log bytes are those of the lines our code
writes, measured from the code that writes them (the access line, Powertools' metrics line)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3

from bench.bench_scan import transaction_units
from bench.loaders import apple_pass_makings
from loyalty.adapters.apple.brand import ApplePassBrands
from loyalty.adapters.apple.links import is_download_token
from loyalty.adapters.apple.rendering import PassRenderer
from loyalty.adapters.aws_clients import new_client
from loyalty.adapters.dynamodb.business_profiles import BusinessProfileStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.adapters.images.s3 import S3BrandImages
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.metrics import BusinessEvent, metrics
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.wallets.apple_web_service import AppleWebService
from loyalty.domain.offers import parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import RewardReady
from loyalty.entrypoints.http.access_log import access_line
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client

FULL_VCPU_MB = 1769
HANDLER = Path(__file__).resolve().parents[1] / "functions" / "apple-wallet" / "app.py"
ROUNDS = 40
BUSINESS = "biz_benchbillapple000001"
DEVICE = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
_REFUSED = {"ConditionalCheckFailedException"}


class _Units:
    """Requests and capacity units of one DynamoDB client (AWS's minimum of a read that finds nothing applied)."""

    def __init__(self, client: Any) -> None:
        self.requests, self.read_units, self.write_units = 0, 0.0, 0.0
        self._consistent = False
        self._transaction = 0.0
        client.meta.events.register("provide-client-params.dynamodb.*", self._ask)
        client.meta.events.register("after-call.dynamodb.*", self._seen)

    def _ask(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "BatchGetItem"}:
            params["ReturnConsumedCapacity"] = "TOTAL"
        if model.name == "TransactWriteItems":
            self._transaction = transaction_units(params["TransactItems"])
        self._consistent = bool(params.get("ConsistentRead")) or model.name == "BatchGetItem"

    def _seen(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name.startswith("Describe"):
            return
        self.requests += 1
        if model.name == "TransactWriteItems":
            # AWS's 2 units per item per KB (DynamoDB developer guide, "Capacity units of transactions"); DynamoDB
            # Local reports none for a transaction.
            self.write_units += self._transaction
            return
        if not parsed.get("ConsumedCapacity") and parsed.get("Error", {}).get("Code") in _REFUSED:
            # A write refused by its condition still consumes its item's write unit ("Write consumption").
            self.write_units += 1.0
            return
        consumed = parsed.get("ConsumedCapacity") or []
        for entry in consumed if isinstance(consumed, list) else [consumed]:
            units = float(entry.get("CapacityUnits", 0.0))
            if model.name in {"GetItem", "Query", "BatchGetItem"}:
                self.read_units += max(units, 1.0 if self._consistent else 0.5)
            else:
                self.write_units += units


def _at(moment: datetime) -> Any:
    return lambda: moment


def lambda_ms(cpu_ms: float, wall_ms: float, memory_mb: int) -> float:
    """A request's time on Lambda at `memory_mb`: its CPU part stretched below a full vCPU, its waits as they are."""
    return cpu_ms * max(1.0, FULL_VCPU_MB / memory_mb) + max(wall_ms - cpu_ms, 0.0)


def measure_fetches(endpoint: str) -> dict[str, float]:
    """Per pushed change: the list request and the pass request (median CPU and wall ms, mean units)."""
    setup = dynamodb_client(endpoint)
    table = f"bench-bill-apple-{int(time.time())}"
    create_table(setup, table)
    makings = apple_pass_makings()
    start = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
    offer = create_offer(
        DynamoOfferStore(setup, table),
        CreateOffer(BUSINESS, parse_offer_terms({"name": "Coffee", "stampsRequired": 10})),
        clock=_at(start),
    )
    joined = enrollment.enroll(
        DynamoPassStore(setup, table),
        _at(start),
        Enroll(offer.offer_id, "guest@mail.example.com", "Guest"),
        RecoveryMail.never_mailing(),
        render_pass,
    )
    assert isinstance(joined, Enrolled)
    pass_ = joined.pass_
    # Configured as the function's own client is (no client-side parameter validation): its CPU is what a fetch pays.
    client = new_client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    units = _Units(client)
    renderer = PassRenderer(
        makings.issuer,
        lambda: makings.credentials,
        90,
        ApplePassBrands(
            BusinessProfileStore(client, table),
            S3BrandImages(boto3.client("s3", region_name="us-east-1"), "unused-no-images-here"),
        ),
    )
    clock = _Clock(start)
    service = AppleWebService(
        DynamoPassStore(client, table), AppleWalletStore(client, table), renderer, clock, is_download_token
    )
    address = PassAddress(pass_.customer_id, pass_.offer_id)
    AppleWalletStore(setup, table).record_serial(
        makings.issuer.pass_type_id, pass_.pass_serial, address, "2027-01-04T08:00:00.000Z"
    )
    auth = f"ApplePass {pass_.auth_token}"
    type_id = makings.issuer.pass_type_id
    service.register(DEVICE, type_id, pass_.pass_serial, auth, json.dumps({"pushToken": "ab" * 32}))
    first = service.updated_serials(DEVICE, type_id, None)
    tag = first.last_updated if first is not None else None
    modified = service.latest_pass(type_id, pass_.pass_serial, auth, None).last_modified
    actor = Actor("0c1d2e3f-4a5b-6c7d-8e9f-000000000001", BUSINESS, "branch-main")
    lists: list[tuple[float, float, int, float, float]] = []
    fetches: list[tuple[float, float, int, float, float]] = []
    sizes = []
    for n in range(ROUNDS):
        moment = start + timedelta(days=1 + n, minutes=n)
        clock.now = moment
        store = DynamoPassStore(setup, table)
        try:
            pass_actions.scan(
                store, _at(moment), Scan(actor, pass_.customer_id, offer.offer_id, None), render_pass
            )
        except RewardReady:
            pass_actions.confirm_prize(
                store, _at(moment), ConfirmPrize(actor, pass_.customer_id, offer.offer_id), render_pass
            )
        clock.now = moment + timedelta(seconds=5)  # the push reaches the phone, which asks at once

        def one(call: Any) -> tuple[Any, tuple[float, float, int, float, float]]:
            before = (units.requests, units.read_units, units.write_units)
            cpu, wall = time.process_time(), time.perf_counter()
            answer = call()
            spent = ((time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000)
            return answer, (
                spent[0],
                spent[1],
                units.requests - before[0],
                units.read_units - before[1],
                units.write_units - before[2],
            )

        listed, cost = one(lambda since=tag: service.updated_serials(DEVICE, type_id, since))
        assert listed is not None
        assert listed.serial_numbers == [pass_.pass_serial]
        tag = listed.last_updated
        lists.append(cost)
        answer, cost = one(
            lambda since=modified: service.latest_pass(type_id, pass_.pass_serial, auth, since)
        )
        assert answer.body is not None, "a changed pass answered 304"
        modified = answer.last_modified
        sizes.append(len(answer.body))
        fetches.append(cost)
    setup.delete_table(TableName=table)

    def summary(samples: list[tuple[float, float, int, float, float]], name: str) -> dict[str, float]:
        return {
            f"{name}_cpu_ms": statistics.median(s[0] for s in samples),
            f"{name}_wall_ms": statistics.median(s[1] for s in samples),
            f"{name}_requests": statistics.mean(s[2] for s in samples),
            f"{name}_rcu": statistics.mean(s[3] for s in samples),
            f"{name}_wcu": statistics.mean(s[4] for s in samples),
        }

    return {**summary(lists, "list"), **summary(fetches, "fetch"), "pkpass_bytes": statistics.mean(sizes)}


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def log_bytes() -> dict[str, float]:
    """Bytes of the lines our code writes: the access line of a scan and of each Apple request, and the metrics
    line of a scan (one stamp counted), as Powertools serializes it."""
    now = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)

    def line(route: str, status: int) -> int:
        event = {"routeKey": route, "requestContext": {"requestId": "Ab1Cd2Ef3Gh4Ij5="}}
        return len(access_line(event, status, 23.4, "loyalty-prod-ScanFunction-AbCdEf012345", now).encode())

    metrics.clear_metrics()  # what the bench's own use cases counted (a handler flushes after each request)
    metrics.add_metric(name=BusinessEvent.STAMP.value, unit="Count", value=1)
    emf = len(json.dumps(metrics.serialize_metric_set()).encode()) + 1
    metrics.clear_metrics()
    return {
        "scan": line("POST /api/branch-manager/scan/{customerId}/{offerId}", 200) + emf,
        "apple_list": line(
            "GET /wallet/apple/v1/devices/{deviceLibraryIdentifier}/registrations/{passTypeIdentifier}", 200
        ),
        "apple_fetch": line("GET /wallet/apple/v1/passes/{passTypeIdentifier}/{serialNumber}", 200),
        "batch": emf,
    }


def peak_memory_mb() -> float:
    """The peak resident memory of a fresh process that loads what the Apple Wallet function loads and signs one
    pass (a warm container holds about this): its VmHWM, which starts afresh at exec (getrusage's maxrss would
    carry the forking bench's own size over)."""
    script = (
        "import importlib.util, boto3\n"
        f"spec = importlib.util.spec_from_file_location('app', {str(HANDLER)!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "boto3.client('dynamodb', region_name='us-east-1')\n"
        "from datetime import UTC, datetime\n"
        "from bench.loaders import apple_pass_makings\n"
        "from loyalty.adapters.apple.content import pass_document, pass_face\n"
        "from loyalty.adapters.apple.package import build_pkpass\n"
        "from loyalty.domain.tiers import TierLadder\n"
        "m = apple_pass_makings()\n"
        "face = pass_face(m.pass_, m.offer, TierLadder.default().standing(0), 90)\n"
        "build_pkpass(pass_document(face, m.issuer), m.credentials, datetime.now(UTC))\n"
        "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=HANDLER.parents[2],
    )
    return int(out.stdout.strip().splitlines()[-1]) / 1024
