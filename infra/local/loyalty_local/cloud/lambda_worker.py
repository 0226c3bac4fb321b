"""Execution environments of the local Lambda runtime, as processes of their own.

This file runs as a script (`python -I lambda_worker.py <control fd> <module to preload>...`): a fork server
that imports the heavy third-party libraries every function uses (boto3, pydantic, Powertools; none of our code,
no environment of any function), then forks one process per execution environment the stack asks for. Each child
takes exactly the environment it was sent (the parent's is cleared), imports the function's handler (the init
phase) and runs one event at a time. So a cold start costs a fork and our own imports, not seconds of library
imports, and no module state is shared: the handler's modules are imported in the child, after the fork.

The stack sends `{"environment", "codeDir", "module", "handler"}` with the child's socket attached (SCM_RIGHTS)
on the control socket and gets `{"pid"}` back. On its own socket the child speaks in frames (4-byte big-endian
length, then JSON): it first sends `{"ready": true}` or `{"initError": <error>}` (and exits); then for each
`{"event": ..., "context": {...}}` it answers `{"result": ...}` or `{"error": <error>}`, where an error is what
Lambda reports: `{"errorType", "errorMessage", "stackTrace"}`. A child exits when its socket closes."""

from __future__ import annotations

import base64
import decimal
import importlib
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any

_LENGTH = struct.Struct(">I")


class ConnectionLost(Exception):
    """The other end of the socket went away."""


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    chunks: list[bytes] = []
    while size:
        chunk = connection.recv(min(size, 1 << 20))
        if not chunk:
            raise ConnectionLost("the other end closed the connection")
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def read_frame(connection: socket.socket) -> Any:
    (size,) = _LENGTH.unpack(_read_exactly(connection, _LENGTH.size))
    return json.loads(_read_exactly(connection, size))


def _to_json(value: Any) -> Any:
    """What Lambda's runtime serialises beyond JSON: Decimal as a number; bytes (a stream record's `B`
    attribute) base64-encoded, as the event source mapping delivers them."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def write_frame(connection: socket.socket, payload: Any) -> None:
    data = json.dumps(payload, default=_to_json, separators=(",", ":")).encode()
    connection.sendall(_LENGTH.pack(len(data)) + data)


def error_of(error: BaseException) -> dict[str, Any]:
    return {
        "errorType": type(error).__name__,
        "errorMessage": str(error),
        "stackTrace": traceback.format_tb(error.__traceback__),
    }


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object our code and Powertools read."""

    function_name: str
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 512
    function_version: str = "$LATEST"
    log_group_name: str = "/loyalty/local/functions"
    log_stream_name: str = "local"
    invoked_function_arn: str = ""
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        if not self.invoked_function_arn:
            self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def serve(connection: socket.socket, code_dir: str, module_name: str, handler_name: str) -> None:
    """The init phase, then one invocation at a time until the parent closes the socket."""
    # Lambda puts the function's code first on the path (LAMBDA_TASK_ROOT), before the layers.
    sys.path.insert(0, code_dir)
    try:
        handler = getattr(importlib.import_module(module_name), handler_name)
    except Exception as error:
        write_frame(connection, {"initError": error_of(error)})
        return
    write_frame(connection, {"ready": True})
    while True:
        try:
            request = read_frame(connection)
        except ConnectionLost:
            return
        context = LambdaContext(**request["context"])
        try:
            answer: dict[str, Any] = {"result": handler(request["event"], context)}
        except Exception as error:
            answer = {"error": error_of(error)}
        try:
            write_frame(connection, answer)
        except TypeError as error:  # a result Lambda could not serialise either
            write_frame(connection, {"error": {**error_of(error), "errorType": "Runtime.MarshalError"}})


def _child(request: dict[str, Any], descriptor: int) -> None:
    """In the forked child: the function's environment, and nothing else, then its execution environment."""
    os.environ.clear()
    os.environ.update(request["environment"])
    time.tzset()
    os.chdir(request["codeDir"])
    with socket.socket(fileno=descriptor) as connection:
        serve(connection, request["codeDir"], request["module"], request["handler"])


def fork_server(control: socket.socket, preload: list[str]) -> None:
    for name in preload:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped as they end
    while True:
        try:
            message, descriptors, _, _ = socket.recv_fds(control, 1 << 20, 1)
        except OSError:
            return
        if not message:  # the stack closed the control socket
            return
        (descriptor,) = descriptors
        pid = os.fork()
        if pid == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                _child(json.loads(message), descriptor)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        os.close(descriptor)
        control.send(json.dumps({"pid": pid}).encode())


def main(argv: list[str]) -> None:
    descriptor, *preload = argv
    with socket.socket(fileno=int(descriptor)) as control:
        fork_server(control, preload)


if __name__ == "__main__":
    main(sys.argv[1:])
