"""Members CSV export: seconds and peak memory of the worker writing an offer's members to S3, at 1,000 and 100,000.

The table is created from template.yaml in DynamoDB Local and loaded with the offer and its passes; the bucket is
moto's S3 in server mode, in a process of its own. The worker runs in a fresh process, as a Lambda container
would, and its peak memory is that process's resident high-water mark (what Lambda reports as "Max Memory Used"):
flat from 1,000 to 100,000 members is the point, since the file goes up in 5 MiB parts and is never held whole.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import boto3

from bench.bench_members_search import BUSINESS, _load
from bench.figures import Figure
from loyalty.domain.ids import new_id
from loyalty_local.cloud.dynamodb_local import create_table, dynamodb_client, free_port, start_dynamodb_local

SIZES = tuple(int(n) for n in os.environ.get("BENCH_EXPORT_MEMBERS", "1000,100000").split(","))
BUCKET = "bench-exports"


def _s3(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def _worker(ddb_endpoint: str, s3_endpoint: str, table: str, export_id: str) -> None:
    """The worker's part in a process of its own: prints the export's seconds, rows, status and peak memory."""
    from loyalty.adapters.dynamodb.exports import ExportStore
    from loyalty.adapters.dynamodb.members import MemberStore
    from loyalty.adapters.dynamodb.offers import DynamoOfferStore
    from loyalty.adapters.s3.export_files import S3ExportFiles
    from loyalty.app.offers.export import run_export

    ddb = dynamodb_client(ddb_endpoint)
    started = time.perf_counter()
    done = run_export(
        MemberStore(ddb, table),
        DynamoOfferStore(ddb, table),
        ExportStore(ddb, table),
        S3ExportFiles(_s3(s3_endpoint), BUCKET),
        export_id,
        last_attempt=True,
    )
    seconds = time.perf_counter() - started
    status = done.status.value if done else None
    print(json.dumps([seconds, done.rows if done else 0, status, _peak_mb()]))


def _peak_mb() -> float:
    """This process's resident high-water mark (VmHWM: its own, where getrusage's maximum would also count the
    parent's memory at the fork before the spawn's exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _measure(ddb_endpoint: str, s3_endpoint: str, total: int) -> list[Figure]:
    from loyalty.adapters.dynamodb.exports import ExportStore
    from loyalty.adapters.dynamodb.offers import DynamoOfferStore
    from loyalty.app.offers.commands import StartExport
    from loyalty.app.offers.export import start_export
    from loyalty.domain.clock import to_iso, utc_now

    table = f"bench-export-{uuid.uuid4().hex[:6]}"
    ddb = dynamodb_client(ddb_endpoint)
    create_table(ddb, table)
    offer_id = new_id("off")
    started = time.perf_counter()
    _load(ddb_endpoint, table, offer_id, total)
    print(
        f"  (loaded {total:,} members in {time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True
    )

    class NoQueue:
        def send(self, export_id: str) -> None:
            pass

    export_id = start_export(
        DynamoOfferStore(ddb, table),
        ExportStore(ddb, table),
        NoQueue(),
        StartExport(BUSINESS, offer_id, None),
        at=to_iso(utc_now()),
    ).export_id
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from bench.bench_members_export import _worker; _worker({ddb_endpoint!r}, {s3_endpoint!r},"
            f" {table!r}, {export_id!r})",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
    )
    seconds, rows, status, peak_mb = json.loads(worker.stdout.strip().splitlines()[-1])
    ddb.delete_table(TableName=table)
    if status != "DONE" or rows != total:
        raise RuntimeError(f"the export ended {status} with {rows} of {total} rows")
    size = _s3(s3_endpoint).list_objects_v2(Bucket=BUCKET, Prefix=f"exports/{BUSINESS}/{export_id}/")[
        "Contents"
    ][0]
    return [
        Figure(
            f"members CSV export seconds ({total:,} members)", seconds, "s", f"{total / seconds:,.0f} rows/s"
        ),
        Figure(
            f"members CSV export peak memory MB ({total:,} members)",
            peak_mb,
            "MB",
            f"worker process resident high-water mark; file {size['Size'] / 1e6:,.1f} MB",
        ),
    ]


def run() -> list[Figure]:
    local = start_dynamodb_local()
    port = free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    s3_endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _s3(s3_endpoint).create_bucket(Bucket=BUCKET)
                break
            except Exception:
                time.sleep(0.1)
        figures: list[Figure] = []
        for total in SIZES:
            figures += _measure(local.endpoint, s3_endpoint, total)
        return figures
    finally:
        moto.terminate()
        moto.wait(timeout=10)
        local.stop()
