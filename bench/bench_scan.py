"""The scan at its floor: DynamoDB requests and capacity units per scan, cost per million, the contended card.

Every figure comes from one run against DynamoDB Local. Requests are counted by a botocore hook on the boto3
session the handlers use; capacity is what DynamoDB Local reports with `ReturnConsumedCapacity=INDEXES` (asked on
every call by the same hook), so index writes count. Work the table stream causes (consumers that write per scan)
is counted by running those consumers in-process on the records the scans produced."""

from __future__ import annotations

import os
import statistics
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.figures import Figure

ROOT = Path(__file__).resolve().parents[1]
TABLE = "bench-scan"
BUSINESS = "biz_benchcoffee01"
SCANS = 200
PASSES = 25
QUIET_SCANS = 50
CONTENDED = 60
CONTENDED_PASS = 50

# List prices, us-east-1, on-demand (USD). The assumptions are printed with the figure.
HTTP_API_PER_MILLION = 1.00
LAMBDA_REQUEST_PER_MILLION = 0.20
LAMBDA_ARM_GB_SECOND = 0.0000133334
DDB_WRITE_UNIT_PER_MILLION = 0.625
DDB_READ_UNIT_PER_MILLION = 0.125
STREAM_BATCH = 100  # records per stream-consumer invocation (the template's BatchSize), amortised per scan

CAPACITY_OPERATIONS = {
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactGetItems",
    "TransactWriteItems",
}


@dataclass
class Meter:
    """What the handlers asked of DynamoDB: requests by operation, and the capacity units they consumed."""

    requests: Counter[str] = field(default_factory=Counter)
    write_units: float = 0.0
    read_units: float = 0.0
    _transaction_units: float = 0.0

    def reset(self) -> None:
        self.requests.clear()
        self.write_units = 0.0
        self.read_units = 0.0

    def ask_capacity(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in CAPACITY_OPERATIONS:
            params["ReturnConsumedCapacity"] = "INDEXES"
        if model.name == "TransactWriteItems":
            self._transaction_units = transaction_units(params["TransactItems"])

    def count(self, model: Any, **_: Any) -> None:
        self.requests.update([model.name])

    def consumed(self, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "TransactWriteItems":
            # DynamoDB Local reports less than AWS bills for a transaction of several items (4 units for three
            # small items): AWS's sizing rule instead, 2 write units per item per KB.
            if "ConsumedCapacity" in parsed:
                self.write_units += self._transaction_units
            return
        entries = parsed.get("ConsumedCapacity") or []
        if isinstance(entries, dict):
            entries = [entries]
        # A conditional write refused still consumes units; DynamoDB reports them in the error's body.
        for entry in entries:
            reads, writes = _units(entry, model.name)
            self.read_units += reads
            self.write_units += writes


def _item_bytes(item: dict[str, Any]) -> int:
    """An item's size by DynamoDB's rules: names plus values (numbers about one byte per two digits)."""

    def size(value: dict[str, Any]) -> int:
        ((kind, inner),) = value.items()
        if kind in ("S", "B"):
            return len(inner.encode() if isinstance(inner, str) else inner)
        if kind == "N":
            return len(inner) // 2 + 1
        if kind == "M":
            return 3 + sum(len(k) + size(v) + 1 for k, v in inner.items())
        if kind == "L":
            return 3 + sum(size(v) + 1 for v in inner)
        return 1

    return sum(len(name) + size(value) for name, value in item.items())


def transaction_units(items: list[dict[str, Any]]) -> float:
    """AWS's write units for a TransactWriteItems: 2 per item per started KB (a Put's item measured; an Update's
    item here is a stats counter or a pass, both under 1 KB)."""
    units = 0.0
    for element in items:
        put = element.get("Put")
        kilobytes = -(-_item_bytes(put["Item"]) // 1024) if put else 1
        units += 2 * kilobytes
    return units


def _units(entry: dict[str, Any], operation: str) -> tuple[float, float]:
    reads = float(entry.get("ReadCapacityUnits", 0.0))
    writes = float(entry.get("WriteCapacityUnits", 0.0))
    if not reads and not writes:
        total = float(entry.get("CapacityUnits", 0.0))
        if operation in ("GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"):
            reads = total
        else:
            writes = total
    return reads, writes


def _event(path: str, route_key: str, params: dict[str, str], key: str | None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if key:
        headers["idempotency-key"] = key
    return {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": path,
        "rawQueryString": "",
        "headers": headers,
        "pathParameters": params,
        "isBase64Encoded": False,
        "requestContext": {
            "http": {"method": "POST", "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1"},
            "requestId": str(uuid.uuid4()),
            "routeKey": route_key,
            "stage": "$default",
            "authorizer": {
                "jwt": {
                    "claims": {
                        "sub": "bench",
                        "cognito:groups": "[manager]",
                        "custom:businessId": BUSINESS,
                        "custom:branchId": "branch-1",
                    },
                    "scopes": None,
                }
            },
        },
    }


def run() -> list[Figure]:
    import boto3

    from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, start_dynamodb_local
    from loyalty_local.tools.local_accounts import ensure_business

    local = start_dynamodb_local()
    try:
        os.environ.update(
            {
                "TABLE_NAME": TABLE,
                "AWS_ENDPOINT_URL_DYNAMODB": local.endpoint,
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": "WARNING",
                "POWERTOOLS_METRICS_NAMESPACE": "Bench",
            }
        )
        create_table(dynamodb_client(local.endpoint), TABLE)
        # The manager's branch is one the business has (the scanner routes check it, from a per-container cache).
        ensure_business(dynamodb_client(local.endpoint), TABLE, BUSINESS, "branch-1")
        meter = Meter()
        boto3.setup_default_session()
        events = boto3.DEFAULT_SESSION.events  # type: ignore[union-attr]
        events.register("provide-client-params.dynamodb", meter.ask_capacity)
        events.register("before-call.dynamodb", meter.count)
        events.register("after-call.dynamodb", meter.consumed)
        return _measure(meter, local)
    finally:
        local.stop()


class BenchPass:
    """One customer's pass on an offer (a fresh one unless given), with the scan and confirm-prize handlers bound
    to it."""

    def __init__(self, stamps_required: int, offer_id: str | None = None) -> None:
        from loyalty.adapters.aws_clients import client
        from loyalty.adapters.dynamodb.offers import DynamoOfferStore
        from loyalty.app.customers.recovery import RecoveryMail
        from loyalty.app.offers import catalog as offers
        from loyalty.app.offers.commands import CreateOffer
        from loyalty.app.passes import enrollment
        from loyalty.app.passes.commands import Enroll
        from loyalty.bootstrap import pass_store
        from loyalty.domain.clock import utc_now
        from loyalty.domain.offers import parse_offer_terms
        from loyalty.domain.pass_results import Enrolled
        from loyalty.entrypoints.http.render import render_pass

        if offer_id is None:
            terms = parse_offer_terms({"name": "Bench Card", "stampsRequired": stamps_required})
            offer_id = offers.create_offer(
                DynamoOfferStore(client("dynamodb"), TABLE), CreateOffer(BUSINESS, terms), clock=utc_now
            ).offer_id
        enrolled = enrollment.enroll(
            pass_store(),
            utc_now,
            Enroll(offer_id, f"{uuid.uuid4().hex[:10]}@example.com", "Bench"),
            # A fresh email is a new pass: no recovery mail is ever sent from here.
            RecoveryMail.never_mailing(),
            render_pass,
        )
        assert isinstance(enrolled, Enrolled)
        self.customer_id: str = enrolled.pass_.customer_id
        self.offer_id = offer_id
        self.params = {"customerId": self.customer_id, "offerId": self.offer_id}

    def key(self) -> str:
        """A key as the scanner mints it, naming this pass (decision 0020a): no key item is claimed for it."""
        from loyalty.domain.bound_keys import bound_key

        return bound_key(self.customer_id, self.offer_id, uuid.uuid4().hex)

    def scan_event(self, key: str | None) -> dict[str, Any]:
        path = f"/api/branch-manager/scan/{self.customer_id}/{self.offer_id}"
        return _event(path, "POST /api/branch-manager/scan/{customerId}/{offerId}", self.params, key)

    def confirm_event(self, key: str | None) -> dict[str, Any]:
        path = f"/api/branch-manager/confirm-prize/{self.customer_id}/{self.offer_id}"
        return _event(path, "POST /api/branch-manager/confirm-prize/{customerId}/{offerId}", self.params, key)


def _measure(meter: Meter, local: Any) -> list[Figure]:
    from loyalty_local.cloud.lambda_runtime import FunctionPool
    from loyalty_local.cloud.template import FunctionDef, functions

    defs = functions()
    scan = FunctionPool(defs["ScanFunction"])
    confirm = FunctionPool(defs["ConfirmPrizeFunction"])
    memory_mb = _memory_mb("ScanFunction")

    # A counter's day: many customers, each scanned a few times, a prize handed over when a card is full (one card
    # scanned 200 times in a row is no customer's day, and would hold 100 keys at once).
    # One shop's offer and its customers.
    first = BenchPass(stamps_required=5)
    pass_batch = [first, *(BenchPass(stamps_required=5, offer_id=first.offer_id) for _ in range(PASSES - 1))]
    for pass_ in pass_batch:
        invoke_ok(scan.invoke, pass_.scan_event(None))  # warm the container (and each card's first stamp)
    _ledger_writes_per_change(meter, 100)  # the enrollments and first stamps: not measured
    # The bare handler runs in step with the scans (one after each), so both meet DynamoDB Local equally warm.
    bare = FunctionPool(FunctionDef("Bare", ROOT / "bench/baselines", "bare_update_handler.handler", 10, {}))
    bare_event = _event("/bump/x", "POST /bump/{key}", {"key": "x"}, None)
    bare.invoke(bare_event)
    bare_times: list[float] = []
    stamps = dict.fromkeys(range(PASSES), 1)
    times: list[float] = []
    keyed_requests: list[int] = []
    plain_requests: list[int] = []
    free_requests: list[int] = []
    confirm_requests: list[int] = []
    write_units: list[float] = []
    read_units: list[float] = []
    for i in range(SCANS):
        n = i % PASSES
        pass_ = pass_batch[n]
        if stamps[n] == 5:  # the card is full: the prize is handed over
            meter.reset()
            invoke_ok(confirm.invoke, pass_.confirm_event(pass_.key()))
            confirm_requests.append(sum(meter.requests.values()))
            stamps[n] = 0
        stamps[n] += 1
        if i % 10 == 5:
            # Another client's key, free-form: claimed (a conditional PutItem of a key item) before the scan's
            # write, so that the key sent about another pass is refused (decision 0020a). Counted apart.
            meter.reset()
            invoke_ok(scan.invoke, pass_.scan_event(str(uuid.uuid4())))
            free_requests.append(sum(meter.requests.values()))
            continue
        keyed = i % 2 == 0
        meter.reset()
        started = time.perf_counter()
        invoke_ok(scan.invoke, pass_.scan_event(pass_.key() if keyed else None))
        times.append(time.perf_counter() - started)
        (keyed_requests if keyed else plain_requests).append(sum(meter.requests.values()))
        write_units.append(meter.write_units)
        read_units.append(meter.read_units)
        started = time.perf_counter()
        bare.invoke(bare_event)
        bare_times.append(time.perf_counter() - started)

    ledger_batch = _ledger_batch_size()
    consumer_writes = _ledger_writes_per_change(meter, ledger_batch)
    # A quiet counter: the same day again (another 50 scans, prizes included), each change alone in its stream
    # batch, so its event and counters are a transaction of their own.
    for i in range(QUIET_SCANS):
        n = i % PASSES
        if stamps[n] == 5:
            invoke_ok(confirm.invoke, pass_batch[n].confirm_event(None))
            stamps[n] = 0
        invoke_ok(scan.invoke, pass_batch[n].scan_event(None))
        stamps[n] += 1
    quiet_writes = _ledger_writes_per_change(meter, 1) + statistics.mean(write_units)

    slowest, stamped = _contended(local)

    scan_ms = statistics.median(times) * 1000
    bare_ms = statistics.median(bare_times) * 1000
    writes = statistics.mean(write_units) + consumer_writes
    reads = statistics.mean(read_units)
    cost, assumptions = _cost_per_million(scan_ms, memory_mb, writes, reads)
    return [
        Figure(
            "DynamoDB requests per scan (with Idempotency-Key)",
            statistics.mean(keyed_requests),
            "requests",
            "keys as the scanner mints them, naming the pass",
        ),
        Figure("DynamoDB requests per scan (no key)", statistics.mean(plain_requests), "requests"),
        Figure(
            "scan requests with a free-form Idempotency-Key",
            statistics.mean(free_requests),
            "requests",
            "aim 2: the key is claimed for its pass (one conditional PutItem) before the scan's one write;"
            " the scanner's keys name their pass and need no claim (decision 0020a)",
        ),
        Figure("DynamoDB requests per confirm-prize", statistics.mean(confirm_requests), "requests"),
        Figure(
            "write units per scan",
            writes,
            "WCU",
            f"request path {statistics.mean(write_units):.2f} + ledger {consumer_writes:.2f}"
            f" (stream batches of {ledger_batch} records)",
        ),
        Figure(
            "write units per scan at one record per stream batch",
            quiet_writes,
            "WCU",
            f"{QUIET_SCANS} more scans and their prizes, each change alone in its stream batch",
        ),
        Figure("read units per scan", reads, "RCU"),
        Figure("AWS cost per million scans", cost, "USD", assumptions),
        Figure("warm scan handler, median", scan_ms, "ms", f"{SCANS} scans on DynamoDB Local"),
        Figure("bare Powertools handler with one UpdateItem, median", bare_ms, "ms"),
        Figure("scan / bare ratio", scan_ms / bare_ms, "x"),
        Figure(
            f"slowest of {CONTENDED} concurrent scans on one card",
            slowest,
            "s",
            f"{CONTENDED_PASS}-stamp card, warm processes: {stamped}",
        ),
    ]


def invoke_ok(invoke: Callable[[dict[str, Any]], Any], event: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = invoke(event)
    if answer["statusCode"] != 200:
        raise RuntimeError(f"bench call refused: {answer}")
    return answer


def _contended(local: Any) -> tuple[float, str]:
    """60 scans at once on a 50-stamp card, over HTTP through the local gateway, each function in processes of
    its own as on Lambda (one request per process at a time): the slowest answer, and what the card ends with."""
    import tempfile
    from pathlib import Path

    import requests

    from loyalty_local.cloud.stack import LocalStack, StackConfig

    with tempfile.TemporaryDirectory() as keys:
        stack = LocalStack(
            StackConfig(
                port=0,
                table_name=f"bench-contended-{uuid.uuid4().hex[:6]}",
                user_pool_file=Path(keys) / "user-pool.json",
                dynamodb=local,
                overrides={"ENROLL_LIMIT_PER_ADDRESS": "100000", "ENROLL_LIMIT_PER_OFFER": "100000"},
            )
        ).start()
        try:
            return _contended_on(stack, requests)
        finally:
            stack.stop()


def _contended_on(stack: Any, requests: Any) -> tuple[float, str]:
    base = stack.base_url
    owner = {"Authorization": f"Bearer {stack.user_pool.issue('owner', BUSINESS)}"}
    from loyalty_local.cloud.dynamodb_local import dynamodb_client
    from loyalty_local.tools.local_accounts import ensure_business

    ensure_business(dynamodb_client(stack.dynamodb.endpoint), stack.config.table_name, BUSINESS, "branch-1")
    manager = {"Authorization": f"Bearer {stack.user_pool.issue('manager', BUSINESS, 'branch-1')}"}
    offer = requests.post(
        f"{base}/api/offers",
        json={"name": "Contended", "stampsRequired": CONTENDED_PASS},
        headers=owner,
        timeout=30,
    ).json()["offerId"]

    def enrolled(email: str) -> str:
        answer = requests.post(
            f"{base}/api/offers/{offer}/enroll", json={"email": email, "name": "C"}, timeout=30
        )
        return str(answer.json()["customerId"])

    warm, customer = enrolled("warm-up@example.com"), enrolled("contended@example.com")

    def burst(on: str) -> list[tuple[float, int]]:
        url = f"{base}/api/branch-manager/scan/{on}/{offer}"

        def one(_: int) -> tuple[float, int]:
            started = time.perf_counter()
            # The scanner's key: it names the pass, so the scan is its one write (decision 0020a).
            key = f"pass.{on}.{offer}.{uuid.uuid4().hex}"
            answer = requests.post(url, headers={**manager, "Idempotency-Key": key}, timeout=120)
            return time.perf_counter() - started, int(answer.status_code)

        with ThreadPoolExecutor(max_workers=CONTENDED) as pool:
            return list(pool.map(one, range(CONTENDED)))

    # The same burst on another card first, so that the figure is the contention on one item and not the cold
    # start of 60 fresh processes (which Lambda's cold starts would add once, on AWS as here).
    cold = max(elapsed for elapsed, _ in burst(warm))
    results = burst(customer)
    status = requests.get(f"{base}/api/branch-manager/passes/{customer}/{offer}", headers=manager, timeout=30)
    stamps = status.json()["progress"]["currentStamps"]
    statuses = Counter(code for _, code in results)
    answered = ", ".join(f"{count}x {code}" for code, count in sorted(statuses.items()))
    return (
        max(elapsed for elapsed, _ in results),
        f"{stamps} stamps, answers {answered}; the first burst, on cold processes: {cold:.2f} s",
    )


def _ledger_writes_per_change(meter: Meter, batch_size: int) -> float:
    """Write units the ledger (the stream consumer that writes audit events and stats counters) spends per pass
    change, run in-process on the stream records the measured requests left, `batch_size` records an invocation."""
    import boto3

    from loyalty_local.cloud.ledger_drain import drain

    meter.reset()
    changes = drain(boto3.client("dynamodb"), TABLE, batch_size)
    return meter.write_units / max(changes, 1)


def _ledger_batch_size() -> int:
    """The stream consumer's BatchSize in template.yaml (a busy counter's batches fill up to it)."""
    from loyalty_local.cloud.template import load_template

    events = load_template()["Resources"]["LedgerFunction"]["Properties"]["Events"]
    return max(int(event["Properties"].get("BatchSize", 100)) for event in events.values())


def _memory_mb(function: str) -> int:
    from loyalty_local.cloud.template import load_template

    template = load_template()
    props = template["Resources"][function]["Properties"]
    return int(props.get("MemorySize", template["Globals"]["Function"].get("MemorySize", 128)))


def _cost_per_million(scan_ms: float, memory_mb: int, writes: float, reads: float) -> tuple[float, str]:
    lambda_compute = scan_ms / 1000 * memory_mb / 1024 * LAMBDA_ARM_GB_SECOND * 1_000_000
    stream_invocations = LAMBDA_REQUEST_PER_MILLION / STREAM_BATCH
    cost = (
        HTTP_API_PER_MILLION
        + LAMBDA_REQUEST_PER_MILLION
        + lambda_compute
        + writes * DDB_WRITE_UNIT_PER_MILLION
        + reads * DDB_READ_UNIT_PER_MILLION
        + stream_invocations
    )
    assumptions = (
        f"us-east-1 list: HTTP API ${HTTP_API_PER_MILLION}/M, Lambda arm64 ${LAMBDA_REQUEST_PER_MILLION}/M"
        f" + {memory_mb} MB x {scan_ms:.1f} ms, DynamoDB on-demand ${DDB_WRITE_UNIT_PER_MILLION}/M WRU"
        f" x {writes:.2f} + ${DDB_READ_UNIT_PER_MILLION}/M RRU x {reads:.2f}, stream reads free,"
        f" consumer invocations 1 per {STREAM_BATCH} records"
    )
    return cost, assumptions
