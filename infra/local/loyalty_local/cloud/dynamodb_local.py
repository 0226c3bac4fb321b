"""DynamoDB Local (AWS's own engine, the jar shipped in the npm package) and tables made from template.yaml."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from loyalty_local.cloud.template import REPO_ROOT, table_definitions

DEFAULT_JAR = REPO_ROOT / ".tools/dynamodb-local-2.9.30/package/emulator/DynamoDBLocal.jar"

# CreateTable takes only these of AWS::DynamoDB::Table's properties; the others are applied by their own calls
# (TTL) or mean nothing locally (point-in-time recovery, encryption, tags).
_CREATE_TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
    "StreamSpecification",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def jar_path() -> Path:
    return Path(os.environ.get("LOYALTY_DYNAMODB_LOCAL_JAR", str(DEFAULT_JAR)))


@dataclass
class DynamoDBLocal:
    """A running DynamoDB Local process on a loopback port."""

    process: subprocess.Popen[bytes]
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_dynamodb_local(port: int | None = None, db_path: Path | None = None) -> DynamoDBLocal:
    """Start the jar with Java; in memory unless `db_path` is given (then data survives restarts)."""
    jar = jar_path()
    if not jar.exists():
        raise RuntimeError(f"DynamoDB Local is not installed at {jar}: run `make deps`")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is not installed: run `make deps`")
    port = port or free_port()
    storage = ["-inMemory"] if db_path is None else ["-dbPath", str(db_path)]
    if db_path is not None:
        db_path.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [
            java,
            f"-Djava.library.path={jar.parent / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar),
            "-sharedDb",
            "-port",
            str(port),
            *storage,
        ],
        cwd=jar.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    local = DynamoDBLocal(process, port)
    _wait_until_ready(local)
    return local


def _wait_until_ready(local: DynamoDBLocal, timeout: float = 60.0) -> None:
    client = dynamodb_client(local.endpoint)
    deadline = time.monotonic() + timeout
    while True:
        if local.process.poll() is not None:
            raise RuntimeError("DynamoDB Local exited while starting")
        try:
            client.list_tables(Limit=1)
            return
        except Exception:
            if time.monotonic() > deadline:
                local.stop()
                raise
            time.sleep(0.2)


def dynamodb_client(endpoint: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def create_table(client: Any, table_name: str, logical_id: str = "LoyaltyTable") -> bool:
    """Create `table_name` from the template's definition of `logical_id`; False when it already exists."""
    definition = table_definitions()[logical_id]
    request: dict[str, Any] = {key: definition[key] for key in _CREATE_TABLE_KEYS if key in definition}
    request["TableName"] = table_name
    if "StreamSpecification" in request:
        request["StreamSpecification"] = {"StreamEnabled": True, **request["StreamSpecification"]}
    try:
        client.create_table(**request)
    except client.exceptions.ResourceInUseException:
        return False
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100}
    )
    ttl = definition.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        client.update_time_to_live(
            TableName=table_name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl["AttributeName"]},
        )
    return True


def add_missing_indexes(client: Any, table_name: str, logical_id: str = "LoyaltyTable") -> list[str]:
    """A table kept from an earlier `make run` gets the global secondary indexes the template has gained since,
    one at a time as DynamoDB requires; the names of those added."""
    definition = table_definitions()[logical_id]
    added: list[str] = []
    existing = {
        index["IndexName"]
        for index in client.describe_table(TableName=table_name)["Table"].get("GlobalSecondaryIndexes", [])
    }
    attribute_types = {a["AttributeName"]: a for a in definition["AttributeDefinitions"]}
    for index in definition.get("GlobalSecondaryIndexes", []):
        if index["IndexName"] in existing:
            continue
        client.update_table(
            TableName=table_name,
            AttributeDefinitions=[attribute_types[k["AttributeName"]] for k in index["KeySchema"]],
            GlobalSecondaryIndexUpdates=[
                {"Create": {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}}
            ],
        )
        client.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 0.2, "MaxAttempts": 100}
        )
        added.append(index["IndexName"])
    return added
