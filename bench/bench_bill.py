"""The honest bill: all-in AWS cost per million scans for a mix of shops, beside the best case, from counted units.

Measured here, on a table created from template.yaml in DynamoDB Local, with every DynamoDB call metered
(`ReturnConsumedCapacity`, a transaction sized by AWS's rule of 2 write units per item per KB):
- the scan's request path, through the scan use case: its UpdateItem, and for a quiet shop (more than
  OFFER_CACHE_SECONDS between scans, so each scanner container's offer cache has lapsed) the offer's GetItem;
- the ledger over the stream the scans left, in batches of the template's BatchSize whose records mix all the
  shops' offers (each batch reads each of its offers' time zone);
- wallet-sync's consistent Query of a changed pass's devices, once per change;
- the time of the scan, and the ledger's batches' CPU and requests (their time on Lambda modelled by
  bench/ledger_lambda.py), for Lambda compute at the template's memory.
- a pushed iPhone's two requests (bench/bill_apple.py): their CPU, DynamoDB requests and units, on the Apple Wallet
  function's memory; the log bytes our code writes a request.
Priced at us-east-1 list prices; what is not measured here (how many passes sit in Apple Wallet, a DynamoDB round
trip in the region, X-Ray's sampling) is an assumption, printed beside the figure.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.bench_scan import (
    DDB_READ_UNIT_PER_MILLION,
    DDB_WRITE_UNIT_PER_MILLION,
    HTTP_API_PER_MILLION,
    LAMBDA_ARM_GB_SECOND,
    LAMBDA_REQUEST_PER_MILLION,
    _ledger_batch_size,
    _memory_mb,
    transaction_units,
)
from bench.bill_apple import FULL_VCPU_MB, lambda_ms, log_bytes, measure_fetches, peak_memory_mb
from bench.figures import Figure
from bench.ledger_lambda import on_lambda
from loyalty.adapters.aws_clients import new_client
from loyalty.adapters.dynamodb.ledger import WORKERS as LEDGER_WORKERS
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.offers.catalog import create_offer
from loyalty.app.offers.commands import CreateOffer
from loyalty.app.passes import actions as pass_actions
from loyalty.app.passes import enrollment
from loyalty.app.passes.commands import Actor, ConfirmPrize, Enroll, Scan
from loyalty.domain.offers import Offer, parse_offer_terms
from loyalty.domain.pass_results import Enrolled
from loyalty.domain.passes import RewardReady
from loyalty.entrypoints.http.render import render_pass
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.ledger_drain import BatchCost, drain

BUSINESS = "biz_benchbill00000001"
SHOPS = 50
CUSTOMERS_PER_SHOP = 8
WEEKS = 5
QUIET_SHARE = 0.5  # of the shops: more than 30 s between scans, so every scan reads its offer
BUSY_VISITS_A_WEEK = 2  # a busy shop's regulars come twice a week; a quiet shop's once
START = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)  # a Monday
# Assumptions (not measured here), printed with the figure.
LOGS_PER_GB = 0.50  # CloudWatch Logs ingestion
# Lambda's START and REPORT lines in the JSON log format, when the template's SystemLogLevel lets them through.
PLATFORM_LOG_BYTES = 600
XRAY_SAMPLED = 0.05  # Lambda's fixed sampling beyond its 1 request a second reservoir (not configurable)
XRAY_PER_MILLION_TRACES = 5.00
APPLE_WALLET_SHARE = 0.6  # passes added to Apple Wallet (one device each); the rest Google or none
# A DynamoDB request's round trip from Lambda in the same region (DynamoDB Local's, on this shared machine, is
# many times that and would bill its own slowness).
DDB_MS_PER_REQUEST = 8.0
WALLET_SYNC_MS_PER_CHANGE = 20  # wallet-sync's time per changed pass (a push request sent, a patch queued)


class Metered:
    """A DynamoDB client whose calls add up their requests and capacity units."""

    def __init__(self, endpoint: str) -> None:
        # Configured as the functions' clients are (no client-side parameter validation): the scan's and the
        # ledger's CPU is what they pay on Lambda.
        self.client = new_client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        self.requests = 0
        self.write_units = 0.0
        self.read_units = 0.0
        self._transaction = 0.0
        self._consistent = False
        events = self.client.meta.events
        events.register("provide-client-params.dynamodb.*", self._ask)
        events.register("after-call.dynamodb.*", self._seen)

    def reset(self) -> None:
        self.requests, self.write_units, self.read_units = 0, 0.0, 0.0

    def _ask(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in {
            "GetItem",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "Query",
            "BatchGetItem",
            "BatchWriteItem",
        }:
            params["ReturnConsumedCapacity"] = "TOTAL"
        if model.name == "TransactWriteItems":
            self._transaction = transaction_units(params["TransactItems"])
        self._consistent = bool(params.get("ConsistentRead"))

    def _seen(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name.startswith("Describe") or model.name in {"CreateTable", "UpdateTimeToLive"}:
            return
        self.requests += 1
        if model.name == "TransactWriteItems":
            self.write_units += self._transaction
            return
        consumed = parsed.get("ConsumedCapacity") or []
        if not consumed and parsed.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            # A write refused by its condition still consumes its item's write units (DynamoDB developer guide,
            # "Write consumption"); DynamoDB Local reports none with the refusal. The ledger's counter items
            # are under 1 KB: one unit.
            self.write_units += 1.0
            return
        for entry in consumed if isinstance(consumed, list) else [consumed]:
            units = float(entry.get("CapacityUnits", 0.0))
            if model.name in {"GetItem", "Query"}:
                # AWS's read sizing (DynamoDB developer guide, "Read consumption"): a GetItem or a Query that finds
                # nothing still consumes the minimum of its kind, 0.5 (eventually consistent) or 1 (strong) unit;
                # DynamoDB Local reports 0 for it.
                self.read_units += max(units, 1.0 if self._consistent else 0.5)
            elif model.name in {"BatchGetItem", "Scan"}:
                self.read_units += units
            else:
                self.write_units += units


def _at(moment: datetime) -> Any:
    return lambda: moment


def _shops(store: DynamoOfferStore, count: int) -> list[Offer]:
    return [
        create_offer(
            store,
            CreateOffer(BUSINESS, parse_offer_terms({"name": f"Shop {n}", "stampsRequired": 10})),
            clock=_at(START),
        )
        for n in range(count)
    ]


def _enrolled(store: DynamoPassStore, offer: Offer, count: int) -> list[str]:
    customers = []
    for n in range(count):
        email = f"guest.{offer.offer_id[-6:]}.{n}@mail.example.com"
        joined = enrollment.enroll(
            store,
            _at(START),
            Enroll(offer.offer_id, email, "Guest"),
            RecoveryMail.never_mailing(),
            render_pass,
        )
        assert isinstance(joined, Enrolled)
        customers.append(joined.pass_.customer_id)
    return customers


def _scan(
    store: DynamoPassStore,
    offers: DynamoOfferStore,
    offer: Offer,
    customer: str,
    moment: datetime,
    quiet: bool,
) -> None:
    actor = Actor(f"0c1d2e3f-4a5b-6c7d-8e9f-{offer.offer_id[-12:]}", BUSINESS, "branch-main")
    lookup = (lambda offer_id: offers.get(offer_id)) if quiet else (lambda _: offer)
    try:
        pass_actions.scan(
            store, _at(moment), Scan(actor, customer, offer.offer_id, None), render_pass, offers=lookup
        )
    except RewardReady:
        prize = ConfirmPrize(actor, customer, offer.offer_id)
        pass_actions.confirm_prize(store, _at(moment), prize, render_pass)
        pass_actions.scan(
            store, _at(moment), Scan(actor, customer, offer.offer_id, None), render_pass, offers=lookup
        )


def _mix(endpoint: str) -> dict[str, float]:
    """Scans of quiet and busy shops over some weeks, then the ledger and wallet-sync over their stream."""
    setup = dynamodb_client(endpoint)
    table = f"bench-bill-{int(time.time())}"
    create_table(setup, table)
    shops = _shops(DynamoOfferStore(setup, table), SHOPS)
    customers = {
        shop.offer_id: _enrolled(DynamoPassStore(setup, table), shop, CUSTOMERS_PER_SHOP) for shop in shops
    }
    drain(setup, table)  # the enrollments: not measured

    meter = Metered(endpoint)
    store, offers = DynamoPassStore(meter.client, table), DynamoOfferStore(meter.client, table)
    rng = random.Random(21)
    visits: list[tuple[datetime, int, Offer, str, bool]] = []
    for week in range(1, WEEKS + 1):
        for n, shop in enumerate(shops):
            quiet = n < SHOPS * QUIET_SHARE
            for c, customer in enumerate(customers[shop.offer_id]):
                for visit in range(1 if quiet else BUSY_VISITS_A_WEEK):
                    moment = START + timedelta(
                        weeks=week, days=(c + 3 * visit) % 7, minutes=rng.randint(0, 600)
                    )
                    visits.append((moment, n, shop, customer, quiet))
    # In the order of time, as the shops' scans reach the table: the stream then carries them in that order, and a
    # batch holds a stretch of time's changes of every shop (not one shop's weeks).
    visits.sort(key=lambda visit: (visit[0], visit[1]))
    scans, times = 0, []
    for moment, _, shop, customer, quiet in visits:
        started = time.perf_counter()
        _scan(store, offers, shop, customer, moment, quiet)
        times.append(time.perf_counter() - started)
        scans += 1
    request = (meter.requests / scans, meter.write_units / scans, meter.read_units / scans)

    meter.reset()
    batches: list[BatchCost] = []
    changes = drain(meter.client, table, _ledger_batch_size(), costs=batches)
    # The ledger's own time with each batch, not the reading of the stream.
    ledger_seconds = sum(batch.seconds for batch in batches)
    lambda_ledger = on_lambda(batches, _memory_mb("LedgerFunction"), DDB_MS_PER_REQUEST)
    ledger = (meter.requests / changes, meter.write_units / changes, meter.read_units / changes)
    local_rate = _bare_write_rate(setup, table)

    meter.reset()
    devices = AppleWalletStore(meter.client, table)
    for shop in shops:
        for customer in customers[shop.offer_id]:
            devices.devices_of_pass(customer, shop.offer_id)
    sync_reads = meter.read_units / (SHOPS * CUSTOMERS_PER_SHOP)
    setup.delete_table(TableName=table)
    return {
        "scans": scans,
        "changes": changes,
        "request_requests": request[0],
        "request_wcu": request[1],
        "request_rcu": request[2],
        "ledger_wcu": ledger[1] * changes / scans,
        "ledger_rcu": ledger[2] * changes / scans,
        "ledger_wcu_per_change": ledger[1],
        "ledger_ms_per_change": ledger_seconds * 1000 / changes,
        "ledger_requests_per_change": ledger[0],
        "ledger_cpu_ms_per_change": lambda_ledger.cpu_ms_per_change,
        "ledger_lambda_ms_per_change": lambda_ledger.ms_per_change,
        "ledger_requests_per_batch": lambda_ledger.requests_per_batch,
        "local_items_per_second": local_rate,
        "sync_rcu": sync_reads * changes / scans,
        "scan_ms": statistics.median(times) * 1000,
    }


def _bare_write_rate(client: Any, table: str) -> float:
    """Items a second DynamoDB Local takes in BatchWriteItems of 25 event-sized items, one after the other, on this
    machine now: what the events alone would allow the ledger here (it also updates about a counter item a
    change in the mix)."""
    items = [
        [
            {"PutRequest": {"Item": {"PK": {"S": f"BENCH#{k}#{n}"}, "SK": {"S": "X"}, "v": {"S": "x" * 380}}}}
            for n in range(25)
        ]
        for k in range(21)
    ]
    client.batch_write_item(RequestItems={table: items[0]})
    started = time.perf_counter()
    for part in items[1:]:
        client.batch_write_item(RequestItems={table: part})
    return 25 * 20 / (time.perf_counter() - started)


def _best(endpoint: str) -> dict[str, float]:
    """One busy shop, its offer cached, regulars already seen this month, one offer per stream batch."""
    setup = dynamodb_client(endpoint)
    table = f"bench-bill-best-{int(time.time())}"
    create_table(setup, table)
    (shop,) = _shops(DynamoOfferStore(setup, table), 1)
    customers = _enrolled(DynamoPassStore(setup, table), shop, 25)
    for customer in customers:  # this month's first scan of each: not the best case
        _scan(
            DynamoPassStore(setup, table),
            DynamoOfferStore(setup, table),
            shop,
            customer,
            START + timedelta(days=1),
            False,
        )
    drain(setup, table)
    meter = Metered(endpoint)
    store, offers = DynamoPassStore(meter.client, table), DynamoOfferStore(meter.client, table)
    scans, times = 0, []
    for day in range(2, 6):
        for c, customer in enumerate(customers):
            started = time.perf_counter()
            _scan(store, offers, shop, customer, START + timedelta(days=day, minutes=c), False)
            times.append(time.perf_counter() - started)
            scans += 1
    request_wcu, request_rcu = meter.write_units / scans, meter.read_units / scans
    meter.reset()
    changes = drain(meter.client, table, _ledger_batch_size())
    ledger_wcu, ledger_rcu = meter.write_units / scans, meter.read_units / scans
    setup.delete_table(TableName=table)
    return {
        "request_wcu": request_wcu,
        "request_rcu": request_rcu,
        "ledger_wcu": ledger_wcu,
        "ledger_rcu": ledger_rcu,
        "changes": changes,
        "scan_ms": statistics.median(times) * 1000,
    }


def _traces_per_scan(batch: int) -> float:
    """Invocations a scan causes in functions Lambda traces: the scan, the phone's two requests to the Apple
    Wallet function (on the passes in Apple Wallet), and a batch of each stream consumer."""
    return (
        float(_traced("ScanFunction"))
        + APPLE_WALLET_SHARE * 2 * _traced("AppleWalletFunction")
        + (_traced("LedgerFunction") + _traced("WalletSyncFunction")) / batch
    )


def _traced(function: str) -> bool:
    """Whether Lambda traces the function's invocations itself (`Tracing: Active`, the function's or Globals'):
    PassThrough traces only what an upstream service sampled, and neither API Gateway's HTTP API nor a phone
    calling a function URL sends a sampled trace header."""
    from loyalty_local.cloud.template import load_template

    template = load_template()
    mode = template["Resources"][function]["Properties"].get(
        "Tracing", template["Globals"]["Function"].get("Tracing", "PassThrough")
    )
    return bool(mode == "Active")


def _system_log_level() -> str:
    """The functions' system log level in template.yaml (the parameter's default)."""
    from loyalty_local.cloud.template import load_template

    template = load_template()
    level = template["Globals"]["Function"].get("LoggingConfig", {}).get("SystemLogLevel", "INFO")
    if isinstance(level, dict) and "Ref" in level:
        return str(template["Parameters"][level["Ref"]]["Default"])
    return str(level)


def _apple_gateway_per_million() -> float:
    """What API Gateway bills a request of Apple's protocol, from template.yaml: nothing where the Apple Wallet
    function has a URL that passes are given (its SSM parameter), since passes issued there call it directly
    (docs/decisions/0021j); else the HTTP API's price. A pass issued before the URL keeps calling the HTTP API."""
    from loyalty_local.cloud.template import load_template

    resources = load_template()["Resources"]
    url = resources["AppleWalletFunction"]["Properties"].get("FunctionUrlConfig")
    given = any(
        r.get("Type") == "AWS::SSM::Parameter"
        and r["Properties"].get("Value") == {"Fn::GetAtt": ["AppleWalletFunctionUrl", "FunctionUrl"]}
        for r in resources.values()
    )
    return 0.0 if url and given else HTTP_API_PER_MILLION


def _lambda(ms: float, memory_mb: int) -> float:
    """USD per million invocations of `ms` at `memory_mb` (arm64), requests included."""
    return LAMBDA_REQUEST_PER_MILLION + ms / 1000 * memory_mb / 1024 * LAMBDA_ARM_GB_SECOND * 1_000_000


def run() -> list[Figure]:
    local = start_dynamodb_local()
    try:
        mix, best = _mix(local.endpoint), _best(local.endpoint)
        apple = measure_fetches(local.endpoint)
    finally:
        local.stop()
    scan_mb, ledger_mb = _memory_mb("ScanFunction"), _memory_mb("LedgerFunction")
    sync_mb, wallet_mb = _memory_mb("WalletSyncFunction"), _memory_mb("AppleWalletFunction")
    batch = _ledger_batch_size()
    wcu, rcu = DDB_WRITE_UNIT_PER_MILLION, DDB_READ_UNIT_PER_MILLION
    apple_ms = {
        name: lambda_ms(apple[f"{name}_cpu_ms"], apple[f"{name}_cpu_ms"], wallet_mb)
        + apple[f"{name}_requests"] * DDB_MS_PER_REQUEST
        for name in ("list", "fetch")
    }
    written = log_bytes()
    platform = PLATFORM_LOG_BYTES if _system_log_level() != "WARN" else 0
    # The scan's request, the ledger's and wallet-sync's invocations (one a batch), the phone's two requests.
    log_bytes_per_scan = (
        written["scan"]
        + platform
        + 2 * (written["batch"] + platform) / batch
        + APPLE_WALLET_SHARE * (written["apple_list"] + written["apple_fetch"] + 2 * platform)
    )
    memory = peak_memory_mb()

    best_cost = (
        HTTP_API_PER_MILLION
        + _lambda(best["scan_ms"], scan_mb)
        + (best["request_wcu"] + best["ledger_wcu"]) * wcu
        + (best["request_rcu"] + best["ledger_rcu"]) * rcu
        + LAMBDA_REQUEST_PER_MILLION / batch
    )
    parts = {
        "API": HTTP_API_PER_MILLION,
        "scan Lambda": _lambda(mix["scan_ms"], scan_mb),
        "scan DynamoDB": mix["request_wcu"] * wcu + mix["request_rcu"] * rcu,
        "ledger": (mix["ledger_wcu"] * wcu + mix["ledger_rcu"] * rcu)
        + (LAMBDA_REQUEST_PER_MILLION / batch)
        # its time with a change on Lambda at its memory, modelled (bench/ledger_lambda.py)
        + mix["ledger_lambda_ms_per_change"] / 1000 * ledger_mb / 1024 * LAMBDA_ARM_GB_SECOND * 1_000_000,
        # wallet-sync: its Query per change, and its invocation per batch of records
        "wallet sync": mix["sync_rcu"] * rcu
        + LAMBDA_REQUEST_PER_MILLION / batch
        + WALLET_SYNC_MS_PER_CHANGE / 1000 * sync_mb / 1024 * LAMBDA_ARM_GB_SECOND * 1_000_000,
        # A pushed iPhone asks which passes changed, then fetches the changed one: two requests, measured, to the
        # Apple Wallet function's own URL (a function URL bills only Lambda's request and duration: no API Gateway
        # request; Lambda developer guide, "Lambda function URLs", and AWS Lambda pricing).
        "Apple fetches": APPLE_WALLET_SHARE
        * (
            2 * _apple_gateway_per_million()
            + _lambda(apple_ms["list"], wallet_mb)
            + _lambda(apple_ms["fetch"], wallet_mb)
            + (apple["list_rcu"] + apple["fetch_rcu"]) * rcu
            + (apple["list_wcu"] + apple["fetch_wcu"]) * wcu
        ),
        "logs": log_bytes_per_scan / 1e9 * LOGS_PER_GB * 1e6,
        # Traces a scan causes: its own request, the phone's two requests, the stream consumers' batches.
        "X-Ray": XRAY_SAMPLED * XRAY_PER_MILLION_TRACES * _traces_per_scan(batch),
    }
    all_in = sum(parts.values())
    assumptions = (
        f"{QUIET_SHARE:.0%} quiet shops (offer read each scan), busy regulars {BUSY_VISITS_A_WEEK}x a week,"
        f" {SHOPS} offers mixed in stream batches of {batch}; Apple Wallet on {APPLE_WALLET_SHARE:.0%} of passes,"
        f" a push's 2 requests measured at {apple_ms['list']:.0f} + {apple_ms['fetch']:.0f} ms on {wallet_mb} MB"
        f" (CPU measured, DynamoDB at {DDB_MS_PER_REQUEST:.0f} ms a request), to the function's URL: no API Gateway"
        f" request (a pass issued before the function URL still pays ${2 * HTTP_API_PER_MILLION:.2f}/M of its"
        " pushes), the URL's SSM parameter read once a container (not priced: standard parameters), data transfer"
        f" out not priced ({apple['pkpass_bytes'] / 1024:.0f} KiB a fetch, within AWS's free 100 GB a month at this"
        f" volume); logs {log_bytes_per_scan:.0f} B a"
        f" scan (system logs {_system_log_level()}) at ${LOGS_PER_GB}/GB; X-Ray {XRAY_SAMPLED:.0%} sampled at"
        f" ${XRAY_PER_MILLION_TRACES}/M of {_traces_per_scan(batch):.2f} traced invocations a scan; us-east-1 list"
        " prices; " + ", ".join(f"{name} ${cost:.2f}" for name, cost in parts.items())
    )
    return [
        Figure("all-in AWS cost per million scans", all_in, "USD", f"aim <= 5.00; {assumptions}"),
        Figure(
            "  best-case AWS cost per million scans",
            best_cost,
            "USD",
            "one busy shop, offer cached, not a first scan of the month, one offer per stream batch; no wallet,"
            f" logs or X-Ray: request {best['request_wcu']:.2f} + ledger {best['ledger_wcu']:.2f} write units a scan"
            " (the ledger's share varies with how DynamoDB Local's stream splits the records into shards)",
        ),
        Figure(
            "  DynamoDB requests per scan (mix)",
            mix["request_requests"],
            "requests",
            "a quiet shop adds the offer read",
        ),
        Figure(
            "  request write units per scan (mix)", mix["request_wcu"], "WCU", "aim 1.0 a pass under 1 KB"
        ),
        Figure(
            f"ledger write units per change ({SHOPS} offers per batch)",
            mix["ledger_wcu_per_change"],
            "WCU",
            f"aim <= 2.5; batches of {batch} records; events by BatchWriteItem, one UpdateItem a counter item a"
            " batch, no transaction (docs/decisions/0021g); a refused update counted at 1 unit",
        ),
        Figure(
            "ledger records per second per shard",
            1000 / mix["ledger_ms_per_change"],
            "records/s",
            f"aim >= 500; one consumer on DynamoDB Local, batches of {batch} mixing {SHOPS} offers, the ledger's"
            " own time (not the stream's reading)",
        ),
        Figure(
            "  ledger CPU per record (mix)",
            mix["ledger_cpu_ms_per_change"],
            "ms",
            "this process's CPU, all threads, with each batch: reading the records, building the entries, the"
            " DynamoDB client's work for each request (the bench's metering hooks included)",
        ),
        Figure(
            "  ledger records per second per shard on Lambda (modelled)",
            1000 / mix["ledger_lambda_ms_per_change"],
            "records/s",
            f"aim >= 500; at the template's {ledger_mb} MB: the CPU above x {FULL_VCPU_MB}/{ledger_mb} (at least"
            f" x 1), DynamoDB at"
            f" {DDB_MS_PER_REQUEST:.0f} ms a request, {mix['ledger_requests_per_batch']:.0f} requests a batch in"
            f" rounds of {LEDGER_WORKERS} in flight, overlapped with the pool's CPU (bench/ledger_lambda.py)",
        ),
        Figure(
            "  ledger DynamoDB requests per change (mix)",
            mix["ledger_requests_per_change"],
            "requests",
            "a batch holds about two changes of each offer, in time order: a day item and a members item an"
            " offer a batch",
        ),
        Figure(
            "  DynamoDB Local's bare event write rate on this machine",
            mix["local_items_per_second"],
            "items/s",
            "for comparison: BatchWriteItems of 25 event-sized items one after another, no counter updates",
        ),
        Figure("  wallet-sync read units per scan", mix["sync_rcu"], "RCU", "a consistent Query per change"),
        Figure("  scan use case, median (DynamoDB Local)", mix["scan_ms"], "ms"),
        Figure(
            "  Apple pass fetch on Lambda (modelled)",
            apple_ms["fetch"],
            "ms",
            f"{apple['fetch_cpu_ms']:.1f} ms CPU here x {FULL_VCPU_MB}/{wallet_mb} MB + {apple['fetch_requests']:.0f}"
            f" DynamoDB requests ({apple['fetch_rcu']:.1f} RCU, {apple['fetch_wcu']:.1f} WCU); a signed pass of"
            f" {apple['pkpass_bytes'] / 1024:.1f} KiB",
        ),
        Figure(
            "  Apple list of changed serials on Lambda (modelled)",
            apple_ms["list"],
            "ms",
            f"{apple['list_cpu_ms']:.1f} ms CPU here x {FULL_VCPU_MB}/{wallet_mb} MB + {apple['list_requests']:.0f}"
            f" DynamoDB requests ({apple['list_rcu']:.1f} RCU, {apple['list_wcu']:.1f} WCU)",
        ),
        Figure(
            "  Apple Wallet function peak memory",
            memory,
            "MB",
            f"aim <= {wallet_mb // 2} (half its {wallet_mb} MB); a process loading its libraries and signing a pass",
        ),
        Figure("  log bytes per scan", log_bytes_per_scan, "B", "aim <= 1000; the lines our code writes"),
    ]
