"""Runs our Lambda handlers in-process the way Lambda does: one event at a time per container, more containers
when requests overlap (module globals such as a Powertools resolver's current event are never shared)."""

from __future__ import annotations

import importlib.util
import itertools
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from loyalty_local.template import FunctionDef, functions

Handler = Callable[[dict[str, Any], Any], Any]


class _PerThreadValue:
    """A data descriptor holding one value per thread."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.local = threading.local()

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        try:
            return self.local.value
        except AttributeError:
            raise AttributeError(self.name) from None

    def __set__(self, obj: object, value: Any) -> None:
        self.local.value = value


def _isolate_router_request_state() -> None:
    """Powertools keeps the event being resolved on the `BaseRouter` class (`BaseRouter.current_event = ...`),
    which is right on Lambda, where a process serves one event at a time. Here concurrent invocations share one
    process, so the class-level request state is made per-thread: each invocation sees only its own event, as it
    would in its own Lambda process. Reads through the class go via the metaclass, reads through an instance via
    the class dictionary; both reach the same per-thread value."""
    from aws_lambda_powertools.event_handler.api_gateway import BaseRouter

    if type(BaseRouter).__name__ == "_PerThreadRouterMeta":
        return
    attributes = {name: _PerThreadValue(name) for name in ("current_event", "lambda_context")}
    for name, descriptor in attributes.items():
        type.__setattr__(BaseRouter, name, descriptor)
    meta = type("_PerThreadRouterMeta", (type(BaseRouter),), {"__slots__": (), **attributes})
    BaseRouter.__class__ = meta  # type: ignore[method-assign]


_isolate_router_request_state()


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
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:000000000000:function:{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class FunctionPool:
    """Warm containers of one function: a fresh module import each, handed to one invocation at a time."""

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
    """Every function of template.yaml, invokable by logical id."""

    def __init__(self, definitions: dict[str, FunctionDef] | None = None) -> None:
        self.definitions = definitions or functions()
        self._pools = {name: FunctionPool(d) for name, d in self.definitions.items()}

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        return self._pools[function].invoke(event)

    def module(self, function: str) -> ModuleType:
        """A loaded module of the function (for tools that read its resolver, such as the OpenAPI generator)."""
        with self._pools[function].container() as module:
            return module
