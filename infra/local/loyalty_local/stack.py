"""The whole local stack in one object: DynamoDB Local, moto, the add-on emulators, the gateway and the stream
poller, wired through the standard AWS_ENDPOINT_URL_<SERVICE> variables so the functions' code is the AWS code."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import boto3

from loyalty_local.auth import DEFAULT_KEY_PATH, LocalUserPool
from loyalty_local.dynamodb_local import (
    DynamoDBLocal,
    add_missing_indexes,
    create_table,
    dynamodb_client,
    free_port,
    start_dynamodb_local,
)
from loyalty_local.gateway import LocalGateway, serve_in_thread
from loyalty_local.lambda_runtime import LocalLambda
from loyalty_local.migrations import backfill_offer_passes_index
from loyalty_local.moto_server import MotoServer, start_moto
from loyalty_local.queues import QueuePoller, create_queues
from loyalty_local.streams import StreamPoller
from loyalty_local.template import REPO_ROOT, functions, parameter_defaults

log = logging.getLogger("loyalty_local")

REGION = "us-east-1"
# Written into the data directory while a persistent stack runs, so operator commands find its DynamoDB Local.
STATE_FILE = "stack.json"

# Emulators that other parts of the product add to the stack: each module has `start(stack) -> Stoppable`.
ADDONS: tuple[str, ...] = (
    "loyalty_local.apple_wallet_local",
    "loyalty_local.google_wallet_standin",
    "loyalty_local.airkit_sandbox",
    "loyalty_local.stepfunctions",
    "loyalty_local.local_mail",
)


class Stoppable(Protocol):
    def stop(self) -> None: ...


@dataclass
class StackConfig:
    port: int = 3000
    host: str = "127.0.0.1"
    data_dir: Path | None = None  # None: everything in memory (tests)
    table_name: str = "loyalty-local"
    user_pool_key: Path = DEFAULT_KEY_PATH
    dynamodb: DynamoDBLocal | None = None  # reuse a running DynamoDB Local (tests share one per session)
    overrides: dict[str, str] = field(default_factory=dict)


@dataclass
class LocalStack:
    config: StackConfig
    dynamodb: DynamoDBLocal | None = None
    moto: MotoServer | None = None
    runtime: LocalLambda | None = None
    gateway: LocalGateway | None = None
    server: ThreadingHTTPServer | None = None
    poller: StreamPoller | None = None
    queues: QueuePoller | None = None
    user_pool: LocalUserPool | None = None
    # Logical id (or `Id.Attribute`) → local physical value, for resolving the template's environment.
    resources: dict[str, str] = field(default_factory=dict)
    addons: list[Stoppable] = field(default_factory=list)
    _owns_dynamodb: bool = False

    @property
    def base_url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]

    def start(self) -> LocalStack:
        os.environ.update(
            {
                "AWS_DEFAULT_REGION": REGION,
                "AWS_REGION": REGION,
                "AWS_ACCESS_KEY_ID": "local",
                "AWS_SECRET_ACCESS_KEY": "local",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_NAMESPACE": "Loyalty",
            }
        )
        if self.config.dynamodb is None:
            db_path = self.config.data_dir / "dynamodb" if self.config.data_dir else None
            self.dynamodb = start_dynamodb_local(db_path=db_path)
            self._owns_dynamodb = True
        else:
            self.dynamodb = self.config.dynamodb
        self.moto = start_moto(free_port())
        os.environ.update(
            {
                "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb.endpoint,
                "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": self.dynamodb.endpoint,
                "AWS_ENDPOINT_URL_SFN": self.moto.endpoint,
                "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.moto.endpoint,
                "AWS_ENDPOINT_URL_SSM": self.moto.endpoint,
                "AWS_ENDPOINT_URL_SQS": self.moto.endpoint,
                "AWS_ENDPOINT_URL_SESV2": self.moto.endpoint,
            }
        )
        ddb = dynamodb_client(self.dynamodb.endpoint)
        if not create_table(ddb, self.config.table_name):
            # Data of an earlier `make run`: the indexes and keys the code has gained since.
            for index in add_missing_indexes(ddb, self.config.table_name):
                log.info("added index %s to the kept table", index)
            backfill_offer_passes_index(ddb, self.config.table_name)
        self.resources["LoyaltyTable"] = self.config.table_name
        self.resources.update(create_queues(self.client("sqs"), f"{self.config.table_name}-"))
        self.user_pool = LocalUserPool.load_or_create(self.config.user_pool_key)
        self.runtime = LocalLambda()
        # The gateway's port is bound before the add-ons start, so they can hand out its URL (webServiceURL).
        self.gateway = LocalGateway(self.runtime, self.user_pool)
        self.server = self.gateway.serve(self.config.host, self.config.port)
        self.config.port = int(self.server.server_address[1])
        for name in ADDONS:
            module = importlib.import_module(name)
            start: Callable[[LocalStack], Stoppable] = module.start
            self.addons.append(start(self))
        self._export_function_environment()
        serve_in_thread(self.server)
        self.poller = StreamPoller(self.client("dynamodbstreams"), ddb, self.config.table_name, self.runtime)
        self.poller.start()
        self.queues = QueuePoller(self.client("sqs"), self.runtime, self.resources)
        self.queues.start()
        return self

    def announce_ready(self) -> None:
        """Tell other processes (`loyalty-local expire-passes`, tests) where the stack is; called once the
        start-up work (demo seed and credential demo) is done, so that they find a quiet table."""
        if self.config.data_dir is None or self.dynamodb is None:
            return
        state = {
            "dynamodbEndpoint": self.dynamodb.endpoint,
            "tableName": self.config.table_name,
            "baseUrl": self.base_url,
            "pid": os.getpid(),
        }
        (self.config.data_dir / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")

    def _export_function_environment(self) -> None:
        """The template's function environment, with references resolved to this stack's resources."""
        params = {k: v for k, v in parameter_defaults().items() if v is not None}
        merged: dict[str, Any] = {}
        for definition in functions().values():
            merged.update(definition.environment)
        for name, value in merged.items():
            resolved = self.resolve(value, params)
            if resolved is None:
                log.warning("environment variable %s has no local value", name)
                continue
            os.environ[name] = resolved
        os.environ.update(self.config.overrides)

    def resolve(self, value: Any, params: dict[str, Any]) -> str | None:
        if isinstance(value, str | int | float | bool):
            return str(value).lower() if isinstance(value, bool) else str(value)
        if isinstance(value, dict) and "Ref" in value:
            ref = value["Ref"]
            if ref in self.resources:
                return self.resources[ref]
            return str(params[ref]) if ref in params else None
        if isinstance(value, dict) and "Fn::GetAtt" in value:
            logical_id, attribute = value["Fn::GetAtt"]
            return self.resources.get(f"{logical_id}.{attribute}")
        if isinstance(value, dict) and "Fn::Sub" in value and isinstance(value["Fn::Sub"], str):
            pseudo = {
                "AWS::Region": REGION,
                "AWS::AccountId": "000000000000",
                "AWS::URLSuffix": "amazonaws.com",
            }

            def substitute(found: re.Match[str]) -> str:
                name = found.group(1)
                if name in pseudo:
                    return pseudo[name]
                resolved = self.resolve(
                    {"Ref": name} if "." not in name else {"Fn::GetAtt": name.split(".", 1)}, params
                )
                return resolved if resolved is not None else found.group(0)

            return re.sub(r"\$\{([^}]+)\}", substitute, value["Fn::Sub"])
        return None

    def stop(self) -> None:
        if self.config.data_dir is not None:
            (self.config.data_dir / STATE_FILE).unlink(missing_ok=True)
        if self.poller:
            self.poller.stop()
        if self.queues:
            self.queues.stop()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        for addon in reversed(self.addons):
            addon.stop()
        if self.moto:
            self.moto.stop()
        if self.dynamodb and self._owns_dynamodb:
            self.dynamodb.stop()


def default_data_dir() -> Path:
    """`.local/` of the repository; LOYALTY_LOCAL_DATA_DIR moves it (a second stack beside a developer's own)."""
    return Path(os.environ.get("LOYALTY_LOCAL_DATA_DIR") or REPO_ROOT / ".local")


def running_stack_state(data_dir: Path | None = None) -> dict[str, Any] | None:
    """What a running `loyalty-local run` recorded about itself, or None when none is running."""
    path = (data_dir or default_data_dir()) / STATE_FILE
    try:
        state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        os.kill(int(state["pid"]), 0)
    except (KeyError, ValueError, ProcessLookupError):
        return None
    except PermissionError:
        return state
    return state
