"""Reads template.yaml — the one description of the functions, routes, events and tables — for the local stack."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[4]
TEMPLATE_PATH = REPO_ROOT / "template.yaml"


class _CfnLoader(yaml.SafeLoader):
    """YAML loader that keeps CloudFormation short-form intrinsics (`!Ref X` → `{"Ref": "X"}`)."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@lru_cache(maxsize=4)
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document = yaml.load(handle, Loader=_CfnLoader)  # noqa: S506 - a SafeLoader subclass
    if not isinstance(document, dict):
        raise ValueError(f"{path} is not a template (a YAML mapping)")
    return document


# The route API Gateway takes a request to when no other route matches (an HttpApi event without Path and Method).
DEFAULT_ROUTE = "$default"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    public: bool
    pattern: re.Pattern[str] = field(compare=False)

    @property
    def route_key(self) -> str:
        return DEFAULT_ROUTE if self.path == DEFAULT_ROUTE else f"{self.method} {self.path}"


@dataclass(frozen=True)
class StreamSubscription:
    function: str
    batch_size: int
    starting_position: str
    filters: tuple[dict[str, Any], ...]
    maximum_retry_attempts: int
    report_batch_item_failures: bool
    # Lambda names the shard of each batch (`shardId`) only to a mapping with a tumbling window.
    tumbling_window_seconds: int = 0


@dataclass(frozen=True)
class FunctionDef:
    logical_id: str
    code_uri: Path
    handler: str
    timeout: int
    environment: dict[str, Any]

    @property
    def module_path(self) -> Path:
        module, _ = self.handler.rsplit(".", 1)
        return self.code_uri / (module.replace(".", "/") + ".py")

    @property
    def handler_name(self) -> str:
        return self.handler.rsplit(".", 1)[1]


def _path_pattern(path: str) -> re.Pattern[str]:
    regex = ""
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            if name.endswith("+"):
                regex += f"(?P<{name[:-1]}>.+)"
            else:
                regex += f"(?P<{name}>[^/]+)"
        else:
            regex += re.escape(piece)
    return re.compile(f"^{regex}$")


def functions(template: dict[str, Any] | None = None) -> dict[str, FunctionDef]:
    template = template or load_template()
    globals_fn = template.get("Globals", {}).get("Function", {})
    found: dict[str, FunctionDef] = {}
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties", {})
        env = dict(globals_fn.get("Environment", {}).get("Variables", {}))
        env.update(props.get("Environment", {}).get("Variables", {}))
        found[logical_id] = FunctionDef(
            logical_id=logical_id,
            code_uri=REPO_ROOT / props["CodeUri"],
            handler=props.get("Handler", globals_fn.get("Handler", "app.handler")),
            timeout=int(props.get("Timeout", globals_fn.get("Timeout", 3))),
            environment=env,
        )
    return found


def _function_events(template: dict[str, Any], event_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(function logical id, event properties) of every event of `event_type` on every function, in order."""
    for logical_id, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") == event_type:
                yield logical_id, event.get("Properties", {})


def http_routes(template: dict[str, Any] | None = None) -> list[Route]:
    """Every HttpApi event of every function, in template order; `Auth.Authorizer: NONE` marks a public route."""
    template = template or load_template()
    routes: list[Route] = []
    for logical_id, props in _function_events(template, "HttpApi"):
        authorizer = props.get("Auth", {}).get("Authorizer")
        path = props.get("Path", DEFAULT_ROUTE)
        routes.append(
            Route(
                method=str(props.get("Method", "ANY")).upper(),
                path=path,
                function=logical_id,
                public=authorizer == "NONE",
                pattern=re.compile(r"^.*$") if path == DEFAULT_ROUTE else _path_pattern(path),
            )
        )
    return routes


def stream_subscriptions(template: dict[str, Any] | None = None) -> list[StreamSubscription]:
    """Functions subscribed to the table's stream (`Type: DynamoDB` events)."""
    template = template or load_template()
    subs: list[StreamSubscription] = []
    for logical_id, props in _function_events(template, "DynamoDB"):
        filters = tuple(
            yaml.safe_load(f["Pattern"]) if isinstance(f.get("Pattern"), str) else f.get("Pattern", {})
            for f in props.get("FilterCriteria", {}).get("Filters", [])
        )
        subs.append(
            StreamSubscription(
                function=logical_id,
                batch_size=int(props.get("BatchSize", 100)),
                starting_position=str(props.get("StartingPosition", "TRIM_HORIZON")),
                filters=filters,
                maximum_retry_attempts=int(props.get("MaximumRetryAttempts", 3)),
                report_batch_item_failures="ReportBatchItemFailures"
                in props.get("FunctionResponseTypes", []),
                tumbling_window_seconds=int(props.get("TumblingWindowInSeconds", 0)),
            )
        )
    return subs


def table_definitions(template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The `AWS::DynamoDB::Table` resources' properties, by logical id."""
    template = template or load_template()
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::DynamoDB::Table"
    }


def parameter_defaults(template: dict[str, Any] | None = None) -> dict[str, Any]:
    template = template or load_template()
    return {name: spec.get("Default") for name, spec in template.get("Parameters", {}).items()}


@dataclass(frozen=True)
class QueueSubscription:
    function: str
    queue: str  # logical id of the AWS::SQS::Queue
    batch_size: int
    report_batch_item_failures: bool
    # ScalingConfig.MaximumConcurrency: how many invocations the event source mapping runs at once (1 when the
    # template sets none: the local stack then polls one batch at a time, as it always has).
    max_concurrency: int = 1


def queue_subscriptions(template: dict[str, Any] | None = None) -> list[QueueSubscription]:
    """Functions subscribed to an SQS queue of the template (`Type: SQS` events on `!GetAtt Queue.Arn`)."""
    template = template or load_template()
    subs: list[QueueSubscription] = []
    for logical_id, props in _function_events(template, "SQS"):
        queue = props["Queue"]
        if not (isinstance(queue, dict) and "Fn::GetAtt" in queue):
            raise ValueError(f"{logical_id}: the local stack polls only queues of this template")
        subs.append(
            QueueSubscription(
                function=logical_id,
                queue=queue["Fn::GetAtt"][0],
                batch_size=int(props.get("BatchSize", 10)),
                report_batch_item_failures="ReportBatchItemFailures"
                in props.get("FunctionResponseTypes", []),
                max_concurrency=int(props.get("ScalingConfig", {}).get("MaximumConcurrency", 1)),
            )
        )
    return subs


def queue_definitions(template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The `AWS::SQS::Queue` resources' properties, by logical id."""
    template = template or load_template()
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::SQS::Queue"
    }
