"""Runs our Lambda handlers locally.

`IsolatedLambda` is the stack's runtime and is as strict as Lambda: each function runs in processes of its own
(forked by `lambda_worker.py`), with exactly its template environment plus what the Lambda runtime itself sets, one
event at a time per process, at most `POOL_SIZE` processes per function (more overlapping requests wait, as they
would for Lambda's concurrency), warm between invocations, killed at the function's timeout. A handler that reads a
variable its function does not declare fails here as it would once deployed, and no module state is shared between
functions or with the stack.

`LocalLambda` imports handlers into the calling process instead, for tools that need the module itself (the
OpenAPI generator reads each resolver) and for benchmarks and tests that observe a handler's calls in-process; it
uses the caller's environment."""

from __future__ import annotations

import codecs
import fcntl
import importlib.util
import itertools
import json
import logging
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from loyalty_local.cloud.lambda_worker import ConnectionLost, LambdaContext, read_frame, write_frame
from loyalty_local.cloud.template import FunctionDef, functions

__all__ = [
    "FunctionPool",
    "FunctionRuntime",
    "InvocationError",
    "IsolatedLambda",
    "LambdaContext",
    "LocalLambda",
]

log = logging.getLogger("loyalty_local.cloud.lambda_runtime")

Handler = Callable[[dict[str, Any], Any], Any]
# The function's own variables (template environment and local overrides) for one function.
EnvironmentOf = Callable[[FunctionDef], dict[str, str]]

REGION = "us-east-1"
WORKER_SCRIPT = Path(__file__).with_name("lambda_worker.py")
# Third-party libraries the fork server imports once for every execution environment (never our own code, which
# each function imports after the fork, with its own environment).
PRELOAD = (
    "boto3",
    "botocore.session",
    "pydantic",
    "aws_lambda_powertools",
    "aws_lambda_powertools.event_handler",
    "httpx",
    "requests",
    "jwt",
)
# Execution environments per function, like a reserved concurrency: enough for the e2e suite's bursts, bounded so
# a burst of requests queues instead of starting dozens of Python processes on a laptop.
POOL_SIZE = 4
# Lambda allows 10 s for the init phase; the first one locally also waits for the fork server's imports on a
# laptop that may be busy, so the local wait is longer (an init error is still reported as it happens).
INIT_TIMEOUT_SECONDS = 60.0


class FunctionRuntime(Protocol):
    """What the gateway, the event source mappings and the Step Functions bridge need of a runtime."""

    @property
    def definitions(self) -> dict[str, FunctionDef]: ...

    def invoke(self, function: str, event: dict[str, Any]) -> Any: ...


class InvocationError(Exception):
    """An invocation Lambda would answer with `FunctionError`: the handler raised (`error_type` is the exception's
    class name, as Step Functions' Retry and Catch match it), its init failed, it timed out or its process died."""

    def __init__(self, error_type: str, message: str, stack_trace: list[str] | None = None) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message
        self.stack_trace = stack_trace or []

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> InvocationError:
        return cls(
            str(payload["errorType"]), str(payload["errorMessage"]), list(payload.get("stackTrace", []))
        )


def lambda_variables(definition: FunctionDef) -> dict[str, str]:
    """What the Lambda runtime sets in every execution environment besides the function's own variables.
    AWS_SAM_LOCAL is what `sam local` sets: Powertools Tracer stays off without an X-Ray daemon."""
    return {
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_LAMBDA_FUNCTION_NAME": definition.logical_id,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/loyalty/local/functions",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
        "AWS_SAM_LOCAL": "true",
        "LAMBDA_TASK_ROOT": str(definition.code_uri),
        "_HANDLER": definition.handler,
        "TZ": ":UTC",
        "LANG": "en_US.UTF-8",
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        # Lambda's runtime forwards each log line as it is written; an unbuffered worker does the same.
        "PYTHONUNBUFFERED": "1",
    }


class ForkServer:
    """The `lambda_worker.py` process that forks execution environments (see its docstring)."""

    def __init__(self) -> None:
        self._control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        base = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
        try:
            # -u: unbuffered output, so each line a function prints is forwarded as it is written (-I ignores
            # PYTHONUNBUFFERED); stdout is piped into FunctionOutput.
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-u", str(WORKER_SCRIPT), str(theirs.fileno()), *PRELOAD],
                env={**base, "LANG": "en_US.UTF-8", "TZ": ":UTC", "PYTHONUNBUFFERED": "1"},
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
            )
        finally:
            theirs.close()
        self._lock = threading.Lock()
        self._output = FunctionOutput(self.process.stdout)

    def fork(self, definition: FunctionDef, environment: dict[str, str], connection: socket.socket) -> int:
        """A new process for `definition`, talking over `connection` (the child's end); its pid."""
        module, handler = definition.handler.rsplit(".", 1)
        request = {
            "environment": environment,
            "codeDir": str(definition.code_uri),
            "module": module,
            "handler": handler,
        }
        with self._lock:
            self._control.settimeout(INIT_TIMEOUT_SECONDS)
            try:
                socket.send_fds(self._control, [json.dumps(request).encode()], [connection.fileno()])
                answer = self._control.recv(1024)
            except OSError as error:
                raise InvocationError(
                    "Runtime.ExitError", f"the local runtime is not running: {error}"
                ) from None
        if not answer:
            raise InvocationError("Runtime.ExitError", "the local runtime is not running")
        return int(json.loads(answer)["pid"])

    @property
    def output(self) -> FunctionOutput:
        return self._output

    def stop(self) -> None:
        """Closing the control socket ends the fork server; each environment ends when its own socket closes."""
        self._control.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class FunctionOutput:
    """What the functions print (their log lines, Powertools' EMF metrics), forwarded line by line to this
    process's `sys.stdout` as Lambda's runtime forwards it to CloudWatch: so it shows in `make run`'s terminal, and
    a test reading its own output (pytest's capsys) sees what the functions printed during it.

    `drain()` returns once everything the environments have written so far is forwarded; an invocation calls it
    after the answer came back (a handler writes before it answers), so the lines of a request are out before its
    response is."""

    def __init__(self, pipe: Any) -> None:
        self._fd: int = pipe.fileno()
        self._pipe = pipe  # kept open while forwarding
        self._lock = threading.Lock()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        threading.Thread(target=self._forward, name="function-output", daemon=True).start()

    def _forward(self) -> None:
        while True:
            select.select([self._fd], [], [])
            with self._lock:
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    return
                sys.stdout.write(self._decoder.decode(chunk))
                sys.stdout.flush()

    def _pending(self) -> int:
        try:
            return struct.unpack("i", fcntl.ioctl(self._fd, termios.FIONREAD, b"\0\0\0\0"))[0]  # type: ignore[no-any-return]
        except OSError:
            return 0

    def drain(self, timeout: float = 1.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:  # bytes are taken from the pipe only under the lock, and written out before it
                if self._pending() == 0:
                    return
            time.sleep(0.001)


class Worker:
    """One execution environment: a process forked for one function and the socket the stack talks to it over."""

    def __init__(self, pid: int, connection: socket.socket, output: FunctionOutput | None = None) -> None:
        self.pid = pid
        self.connection = connection
        self.output = output

    @classmethod
    def start(cls, forks: ForkServer, definition: FunctionDef, environment: dict[str, str]) -> Worker:
        """Fork the process and wait out its init phase; InvocationError when the handler cannot be loaded."""
        ours, theirs = socket.socketpair()
        try:
            pid = forks.fork(definition, environment, theirs)
        except InvocationError:
            ours.close()
            raise
        finally:
            theirs.close()
        worker = cls(pid, ours, forks.output)
        ours.settimeout(INIT_TIMEOUT_SECONDS)
        try:
            hello = read_frame(ours)
        except TimeoutError:
            worker.kill()
            raise InvocationError("Runtime.ExitError", f"{definition.logical_id} did not start") from None
        except (ConnectionLost, OSError) as error:
            worker.close()
            raise InvocationError(
                "Runtime.ExitError", f"{definition.logical_id} did not start: {error}"
            ) from None
        if "initError" in hello:
            worker.close()
            raise InvocationError.from_payload(hello["initError"])
        return worker

    def invoke(self, definition: FunctionDef, event: dict[str, Any]) -> Any:
        """The handler's result; InvocationError when it raised. A timeout or a lost process raises
        `WorkerLost`, after which this worker is unusable (and, timed out, killed)."""
        context = {"function_name": definition.logical_id, "timeout_seconds": definition.timeout}
        self.connection.settimeout(definition.timeout)
        try:
            write_frame(self.connection, {"event": event, "context": context})
            answer = read_frame(self.connection)
        except TimeoutError:
            self.kill()
            raise WorkerLost(
                "Sandbox.Timedout", f"Task timed out after {definition.timeout:.2f} seconds"
            ) from None
        except (ConnectionLost, OSError) as error:
            self.close()
            raise WorkerLost("Runtime.ExitError", f"the execution environment ended: {error}") from None
        if self.output is not None:
            self.output.drain()
        if "error" in answer:
            raise InvocationError.from_payload(answer["error"])
        return answer["result"]

    def close(self) -> None:
        """End the environment: a process whose socket closes exits after the event it may be running."""
        self.connection.close()

    def kill(self) -> None:
        """End a process known to be alive (it timed out: it has not answered, so it has not exited)."""
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.close()


class WorkerLost(InvocationError):
    """The execution environment is gone (timed out and killed, or crashed); the next invocation starts anew."""


class WorkerPool:
    """The warm execution environments of one function, at most `size`, each serving one event at a time."""

    def __init__(
        self, forks: ForkServer, definition: FunctionDef, environment: Callable[[], dict[str, str]], size: int
    ) -> None:
        self.forks = forks
        self.definition = definition
        self.environment = environment
        self.size = size
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._starting = 0
        self._stopped = False
        self._changed = threading.Condition()

    def _acquire(self) -> Worker:
        with self._changed:
            while not self._idle and len(self._all) + self._starting >= self.size:
                self._changed.wait()
            if self._stopped:
                raise InvocationError("Runtime.ExitError", "the local runtime is stopping")
            if self._idle:
                return self._idle.pop()
            self._starting += 1
        try:  # a cold start outside the lock: warm workers keep serving meanwhile
            worker = Worker.start(self.forks, self.definition, self.environment())
        finally:
            with self._changed:
                self._starting -= 1
                self._changed.notify()
        with self._changed:
            self._all.add(worker)
        return worker

    def _release(self, worker: Worker, usable: bool) -> None:
        with self._changed:
            if usable and not self._stopped:
                self._idle.append(worker)
            else:
                self._all.discard(worker)
                worker.close()
            self._changed.notify()

    def invoke(self, event: dict[str, Any]) -> Any:
        worker = self._acquire()
        usable = False
        try:
            result = worker.invoke(self.definition, event)
            usable = True
            return result
        except WorkerLost:
            raise
        except InvocationError:
            usable = True  # the handler raised; Lambda keeps the environment for the next event
            raise
        finally:
            self._release(worker, usable)

    def warm(self) -> None:
        """Make sure one environment has passed its init phase (InvocationError when it cannot)."""
        with self._changed:
            if self._all:
                return
        self._release(self._acquire(), usable=True)

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            workers = list(self._all)
            self._idle.clear()
            self._all.clear()
            self._changed.notify_all()
        for worker in workers:
            worker.close()


class IsolatedLambda:
    """Every function of template.yaml in its own processes; `environment_of(definition)` gives a function's own
    variables (resolved template environment and local overrides), asked at each cold start."""

    def __init__(
        self,
        environment_of: EnvironmentOf,
        definitions: dict[str, FunctionDef] | None = None,
        pool_size: int = POOL_SIZE,
    ) -> None:
        self._definitions = definitions or functions()
        self._environment_of = environment_of
        self._forks = ForkServer()
        self._pools = {
            name: WorkerPool(self._forks, definition, partial(self._environment, definition), pool_size)
            for name, definition in self._definitions.items()
        }

    def _environment(self, definition: FunctionDef) -> dict[str, str]:
        return {**lambda_variables(definition), **self._environment_of(definition)}

    @property
    def definitions(self) -> dict[str, FunctionDef]:
        return self._definitions

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return self._pools[function].invoke(event)

    def warm(self, function: str) -> None:
        self._pools[function].warm()

    def drain_output(self, timeout: float = 1.0) -> None:
        """Return once what the functions printed so far is forwarded to `sys.stdout` (or after `timeout`)."""
        self._forks.output.drain(timeout)

    def warm_all(self) -> None:
        """One warm environment for every function, one after the other: a stack that just started answers its
        first requests without cold starts, as a deployed stack in use does. A function that cannot start is
        logged here and fails again at its first event."""
        for name, pool in self._pools.items():
            try:
                pool.warm()
            except InvocationError as error:
                log.error("%s cannot start: %s", name, error)

    def stop(self) -> None:
        for pool in self._pools.values():
            pool.stop()
        self._forks.stop()


class FunctionPool:
    """In-process containers of one function: a fresh module import each, handed to one invocation at a time."""

    _serial = itertools.count()

    def __init__(self, definition: FunctionDef) -> None:
        self.definition = definition
        self._idle: list[ModuleType] = []
        self._lock = threading.Lock()

    def _cold_start(self) -> ModuleType:
        path = self.definition.module_path
        name = f"_lambda_{self.definition.logical_id}_{next(self._serial)}"
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        code_dir = str(self.definition.code_uri)
        if code_dir not in sys.path:
            sys.path.append(code_dir)
        spec.loader.exec_module(module)
        return module

    @contextmanager
    def container(self) -> Iterator[ModuleType]:
        with self._lock:
            module = self._idle.pop() if self._idle else None
        if module is None:
            module = self._cold_start()
        try:
            yield module
        finally:
            with self._lock:
                self._idle.append(module)

    def invoke(self, event: dict[str, Any]) -> Any:
        context = LambdaContext(self.definition.logical_id, self.definition.timeout)
        with self.container() as module:
            handler: Handler = getattr(module, self.definition.handler_name)
            return handler(event, context)


class LocalLambda:
    """Every function of template.yaml, imported into this process (see the module's docstring for when)."""

    def __init__(self, definitions: dict[str, FunctionDef] | None = None) -> None:
        self._definitions = definitions or functions()
        self._pools = {name: FunctionPool(d) for name, d in self._definitions.items()}

    @property
    def definitions(self) -> dict[str, FunctionDef]:
        return self._definitions

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return self._pools[function].invoke(event)

    def module(self, function: str) -> ModuleType:
        """A loaded module of the function (for tools that read its resolver, such as the OpenAPI generator)."""
        with self._pools[function].container() as module:
            return module
