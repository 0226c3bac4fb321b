"""The local stream consumer resumes from its checkpoint, as Lambda's event source mapping does: what was
processed is never delivered again after a restart, what was not is never lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest

from loyalty_local.cloud.lambda_runtime import InvocationError
from loyalty_local.cloud.streams import StreamCheckpoints, StreamPoller
from loyalty_local.cloud.template import FunctionDef, StreamSubscription

pytestmark = pytest.mark.integration


class RecordingRuntime:
    """Stands in for the functions: records the keys of every record delivered; fails while `failing` is set."""

    def __init__(self) -> None:
        self.delivered: list[str] = []
        self.failing = False

    @property
    def definitions(self) -> dict[str, FunctionDef]:
        return {}

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        if self.failing:
            raise InvocationError("RuntimeError", "the consumer is down")
        self.delivered.extend(r["dynamodb"]["Keys"]["PK"]["S"] for r in event["Records"])
        return None


def subscription(**overrides: Any) -> StreamSubscription:
    fields: dict[str, Any] = {
        "function": "Consumer",
        "batch_size": 10,
        "starting_position": "TRIM_HORIZON",
        "filters": (),
        "maximum_retry_attempts": 3,
        "report_batch_item_failures": False,
        **overrides,
    }
    return StreamSubscription(**fields)


def poller(
    ddb: Any, endpoint: str, table: str, runtime: RecordingRuntime, path: Path, **overrides: Any
) -> StreamPoller:
    streams = boto3.client(
        "dynamodbstreams",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    return StreamPoller(
        streams, ddb, table, runtime, [subscription(**overrides)], checkpoints=StreamCheckpoints(path)
    )


def put(ddb: Any, table: str, *keys: str) -> None:
    for key in keys:
        ddb.put_item(TableName=table, Item={"PK": {"S": key}, "SK": {"S": "X"}, "entity": {"S": "THING"}})


def drain(stream: StreamPoller) -> None:
    while stream.poll_once():
        pass


def test_a_restarted_consumer_delivers_only_what_came_after_its_checkpoint(
    ddb: Any, dynamodb_endpoint: str, table_name: str, tmp_path: Path
) -> None:
    checkpoints = tmp_path / "checkpoints.json"
    runtime = RecordingRuntime()
    put(ddb, table_name, "a", "b", "c")
    drain(poller(ddb, dynamodb_endpoint, table_name, runtime, checkpoints))
    assert runtime.delivered == ["a", "b", "c"]

    put(ddb, table_name, "d")
    restarted = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, restarted, checkpoints))
    assert restarted.delivered == ["d"]

    again = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, again, checkpoints))
    assert again.delivered == []


def test_records_the_filter_keeps_away_count_as_processed(
    ddb: Any, dynamodb_endpoint: str, table_name: str, tmp_path: Path
) -> None:
    checkpoints = tmp_path / "checkpoints.json"
    only_others = {"filters": ({"dynamodb": {"NewImage": {"entity": {"S": ["OTHER"]}}}},)}
    put(ddb, table_name, "a", "b")
    first = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, first, checkpoints, **only_others))
    assert first.delivered == []

    # The same consumer without its filter, after a restart: the filtered records were read, not to be replayed.
    later = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, later, checkpoints))
    assert later.delivered == []


def test_what_failed_before_a_restart_is_delivered_after_it(
    ddb: Any, dynamodb_endpoint: str, table_name: str, tmp_path: Path
) -> None:
    checkpoints = tmp_path / "checkpoints.json"
    put(ddb, table_name, "a", "b")
    down = RecordingRuntime()
    down.failing = True
    failing = poller(ddb, dynamodb_endpoint, table_name, down, checkpoints, maximum_retry_attempts=5)
    failing.poll_once()
    failing.poll_once()
    assert down.delivered == []

    up = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, up, checkpoints))
    assert up.delivered == ["a", "b"]


class WindowedRuntime(RecordingRuntime):
    """Records each batch's shard; answers with the window's state unless told not to."""

    def __init__(self, answers_state: bool = True) -> None:
        super().__init__()
        self.shards: list[str] = []
        self.answers_state = answers_state

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        super().invoke(function, event)
        self.shards.append(event.get("shardId", ""))
        return {"batchItemFailures": [], **({"state": {}} if self.answers_state else {})}


def test_a_windowed_mapping_names_each_batch_s_shard_and_wants_the_state_back(
    ddb: Any, dynamodb_endpoint: str, table_name: str, tmp_path: Path
) -> None:
    put(ddb, table_name, "a", "b")
    windowed = {"tumbling_window_seconds": 900, "report_batch_item_failures": True}
    runtime = WindowedRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, runtime, tmp_path / "one.json", **windowed))
    assert runtime.delivered == ["a", "b"]
    assert runtime.shards and all(shard.startswith("shardId-") for shard in runtime.shards)

    # An answer without the state is a failed invocation: the batch comes back.
    stateless = WindowedRuntime(answers_state=False)
    stream = poller(
        ddb,
        dynamodb_endpoint,
        table_name,
        stateless,
        tmp_path / "two.json",
        maximum_retry_attempts=5,
        **windowed,
    )
    stream.poll_once()
    stream.poll_once()
    assert stateless.delivered == ["a", "b", "a", "b"]

    plain = RecordingRuntime()
    drain(poller(ddb, dynamodb_endpoint, table_name, plain, tmp_path / "three.json"))
    assert plain.delivered == ["a", "b"]
