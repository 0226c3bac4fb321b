"""The members export worker against DynamoDB Local (the members index, the export's record) and moto's S3 in
server mode (a multipart upload, a presigned download): the file holds every member, the record moves from
RUNNING through growing rows to DONE, and a file larger than one part is uploaded in parts of S3's minimum size."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
import requests
from moto.server import ThreadedMotoServer

from bench.bench_members_search import BUSINESS, _load
from loyalty.adapters.dynamodb.exports import ExportStore
from loyalty.adapters.dynamodb.members import MemberStore
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.s3.export_files import PART_BYTES, S3ExportFiles
from loyalty.app.offers.commands import ReadExport, StartExport
from loyalty.app.offers.export import PROGRESS_EVERY, export_status, run_export, start_export
from loyalty.domain.exports import ExportStatus
from loyalty.domain.ids import new_id
from loyalty.domain.member_export import BOM
from loyalty.entrypoints.http.render import export_state_answer
from loyalty_local.cloud.dynamodb_local import DynamoDBLocal, create_table, dynamodb_client, free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def s3() -> Iterator[Any]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    client = boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    client.create_bucket(Bucket="exports")
    yield client
    server.stop()


class Queue:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, export_id: str) -> None:
        self.sent.append(export_id)


class ProgressSeen(ExportStore):
    """The store, noting every row count the table accepted while the export ran."""

    seen: list[int]

    def progress(self, export_id: str, rows: int) -> None:
        super().progress(export_id, rows)
        found = self.get(export_id)
        assert found is not None and found.status is ExportStatus.RUNNING
        self.seen.append(found.rows)


def test_every_member_written_through_the_worker(dynamodb_local: DynamoDBLocal, s3: Any) -> None:
    table = f"export-{uuid.uuid4().hex[:8]}"
    ddb = dynamodb_client(dynamodb_local.endpoint)
    create_table(ddb, table)
    offer_id = new_id("off")
    passes = _load(dynamodb_local.endpoint, table, offer_id, 1_100)
    jobs = ProgressSeen(ddb, table)
    jobs.seen = []
    files = S3ExportFiles(s3, "exports")
    queue = Queue()
    started = start_export(
        DynamoOfferStore(ddb, table),
        jobs,
        queue,
        StartExport(BUSINESS, offer_id, "k"),
        at="2027-03-01T09:00:00.000Z",
    )
    assert queue.sent == [started.export_id]

    run_export(
        MemberStore(ddb, table),
        DynamoOfferStore(ddb, table),
        jobs,
        files,
        started.export_id,
        last_attempt=False,
    )

    assert jobs.seen == [PROGRESS_EVERY, 2 * PROGRESS_EVERY]
    state = export_state_answer(
        export_status(jobs, files, ReadExport(BUSINESS, started.export_id), now=datetime.now(UTC))
    )
    assert (state["status"], state["rows"]) == ("DONE", 1_100)
    download = requests.get(state["downloadUrl"], timeout=10)
    assert download.status_code == 200
    assert download.headers["Content-Type"].startswith("text/csv")
    assert "filename*=UTF-8''Bench-Coffee-members-2027-03-01.csv" in download.headers["Content-Disposition"]
    text = download.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[len(BOM) :])))[1:]
    assert {row[0] for row in rows} == {pass_.customer_id for pass_ in passes}
    assert {row[3] for row in rows} == {pass_.email for pass_ in passes}  # the owner's file: unmasked


def test_a_file_larger_than_a_part_goes_up_in_parts(s3: Any) -> None:
    file = S3ExportFiles(s3, "exports").open("exports/big.csv", download_name="big.csv")
    line = ("x" * 1023 + "\n").encode()
    for _ in range(PART_BYTES // len(line) * 2 + 10):
        file.write(line)
    file.finish()
    head = s3.head_object(Bucket="exports", Key="exports/big.csv", PartNumber=1)
    assert head["PartsCount"] == 3 and head["ContentLength"] >= PART_BYTES


def test_an_abandoned_file_leaves_nothing(s3: Any) -> None:
    file = S3ExportFiles(s3, "exports").open("exports/abandoned.csv", download_name="a.csv")
    file.write(b"half a file")
    file.abandon()
    assert s3.list_multipart_uploads(Bucket="exports").get("Uploads", []) == []
    assert "Contents" not in s3.list_objects_v2(Bucket="exports", Prefix="exports/abandoned.csv")
