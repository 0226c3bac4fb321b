"""The whole local stack in one object: DynamoDB Local, moto, the add-on emulators, the gateway and the stream
poller, wired through the standard AWS_ENDPOINT_URL_<SERVICE> variables so the functions' code is the AWS code."""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

import boto3

from loyalty.adapters.dynamodb.delivery_backfill import backfill_delivery
from loyalty.adapters.dynamodb.directory_backfill import backfill_directory
from loyalty.adapters.dynamodb.enroll_keys import backfill_enroll_keys
from loyalty.adapters.dynamodb.pass_migration import migrate_pass_items
from loyalty_local.cloud.cognito import FRONT_PATH, CognitoFront, restore_accounts, save_accounts, start_front
from loyalty_local.cloud.dynamodb_local import (
    DynamoDBLocal,
    add_missing_indexes,
    create_table,
    dynamodb_client,
    free_port,
    start_dynamodb_local,
)
from loyalty_local.cloud.gateway import LocalGateway, serve_in_thread
from loyalty_local.cloud.index_remake import remake_changed_indexes
from loyalty_local.cloud.lambda_runtime import IsolatedLambda
from loyalty_local.cloud.moto_server import MotoServer, start_moto
from loyalty_local.cloud.queues import QueuePoller, create_queues, restore_waiting, save_waiting
from loyalty_local.cloud.streams import StreamCheckpoints, StreamPoller
from loyalty_local.cloud.template import REPO_ROOT, FunctionDef, parameter_defaults
from loyalty_local.standins.cognito import DEFAULT_POOL_FILE, LocalUserPool
from loyalty_local.tools.migrations import backfill_members_index

log = logging.getLogger("loyalty_local")

REGION = "us-east-1"
# Written into the data directory while a persistent stack runs, so operator commands find its DynamoDB Local.
STATE_FILE = "stack.json"
# How far each stream consumer got, so a restart resumes instead of replaying (see loyalty_local.cloud.streams).
STREAM_CHECKPOINTS_FILE = "stream-checkpoints.json"
# The user pool's accounts at the last stop (moto keeps them in memory only), restored at the next start.
ACCOUNTS_FILE = "auth/accounts.json"
# What the queues held at the last stop, queued again at the next start (see loyalty_local.cloud.queues).
WAITING_MESSAGES_FILE = "queued-messages.json"

# Emulators that other parts of the product add to the stack: each module has `start(stack) -> Stoppable`.
ADDONS: tuple[str, ...] = (
    "loyalty_local.cloud.origin_verify",
    "loyalty_local.standins.apple_wallet",
    "loyalty_local.standins.google_wallet",
    "loyalty_local.standins.airkit",
    "loyalty_local.cloud.stepfunctions",
    "loyalty_local.cloud.mail",
    "loyalty_local.cloud.brand_images",
    "loyalty_local.cloud.function_urls",
)


class Stoppable(Protocol):
    def stop(self) -> None: ...


@dataclass
class StackConfig:
    port: int = 3000
    host: str = "127.0.0.1"
    data_dir: Path | None = None  # None: everything in memory (tests)
    table_name: str = "loyalty-local"
    # Where the stack writes its user pool's identity, for `loyalty-local token` and tests' tokens.
    user_pool_file: Path = DEFAULT_POOL_FILE
    dynamodb: DynamoDBLocal | None = None  # reuse a running DynamoDB Local (tests share one per session)
    # Local values of variables the template declares (a function that does not declare one never sees it).
    overrides: dict[str, str] = field(default_factory=dict)
    # Told what is being started, step by step (`make run` prints it); tests start quietly.
    progress: Callable[[str], None] | None = None


@dataclass
class LocalStack:
    config: StackConfig
    dynamodb: DynamoDBLocal | None = None
    moto: MotoServer | None = None
    runtime: IsolatedLambda | None = None
    gateway: LocalGateway | None = None
    server: ThreadingHTTPServer | None = None
    poller: StreamPoller | None = None
    queues: QueuePoller | None = None
    user_pool: LocalUserPool | None = None
    cognito: CognitoFront | None = None
    # Logical id (or `Id.Attribute`) → local physical value, for resolving the template's environment.
    resources: dict[str, str] = field(default_factory=dict)
    # Where the services live locally, given to every function: the AWS_ENDPOINT_URL_<SERVICE> variables and the
    # stand-ins' base URLs. A deployed function reaches the real services without such variables, so none of
    # them is declared in the template; they say where, never what, and cannot hide a missing variable.
    endpoints: dict[str, str] = field(default_factory=dict)
    # The emulators' own addresses (name → base URL), recorded in the state file for tools and tests.
    services: dict[str, str] = field(default_factory=dict)
    addons: list[Stoppable] = field(default_factory=list)
    _owns_dynamodb: bool = False

    @property
    def base_url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    def client(self, service: str) -> Any:
        return boto3.client(service, region_name=REGION)  # type: ignore[call-overload]

    def _say(self, what: str) -> None:
        if self.config.progress is not None:
            self.config.progress(what)

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
            self._say(f"starting DynamoDB Local (data in {db_path or 'memory'})")
            self.dynamodb = start_dynamodb_local(db_path=db_path)
            self._owns_dynamodb = True
        else:
            self.dynamodb = self.config.dynamodb
        self._say("starting moto (Step Functions, Secrets Manager, SSM, SQS, SES, Cognito)")
        self.moto = start_moto(free_port())
        self.services["moto"] = self.moto.endpoint
        self.endpoints.update(
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
        # The stack's own clients (queues, secrets, the pollers) reach the same services.
        os.environ.update(self.endpoints)
        ddb = dynamodb_client(self.dynamodb.endpoint)
        self._say(f"creating the table {self.config.table_name} and the queues of template.yaml")
        if not create_table(ddb, self.config.table_name):
            # Data of an earlier `make run`: the indexes and keys the code has gained since.
            for index in add_missing_indexes(ddb, self.config.table_name):
                log.info("added index %s to the kept table", index)
            for index in remake_changed_indexes(ddb, self.config.table_name):
                log.info("remade index %s of the kept table as the template defines it", index)
            backfill_members_index(ddb, self.config.table_name)
            migrate_pass_items(ddb, self.config.table_name)
            backfill_enroll_keys(ddb, self.config.table_name)
            backfill_directory(ddb, self.config.table_name)
            backfill_delivery(ddb, self.config.table_name)
        self.resources["LoyaltyTable"] = self.config.table_name
        self.resources.update(create_queues(self.client("sqs"), f"{self.config.table_name}-"))
        if self.config.data_dir is not None:
            restored = restore_waiting(
                self.client("sqs"), self.resources, self.config.data_dir / WAITING_MESSAGES_FILE
            )
            if restored:
                self._say(f"queued again the {restored} messages waiting at the last stop")
        self._say("creating the user pool, app client and groups of template.yaml in moto's Cognito")
        self.cognito = start_front(self)
        if self.config.data_dir is not None:
            kept = restore_accounts(self.cognito.pool.pool_id, self.config.data_dir / ACCOUNTS_FILE)
            if kept:
                self._say(f"restored the {kept} accounts of the last run")
        self.resources["UserPool"] = self.cognito.pool.pool_id
        self.resources["UserPoolClient"] = self.cognito.pool.client_id
        self.user_pool = LocalUserPool(
            self.cognito.pool.issuer,
            self.cognito.pool.client_id,
            f"{self.moto.endpoint}/{self.cognito.pool.pool_id}/.well-known/jwks.json",
        )
        self.user_pool.save(self.config.user_pool_file)
        self.runtime = IsolatedLambda(self.function_environment)
        # The gateway's port is bound before the add-ons start, so they can hand out its URL (webServiceURL).
        self.gateway = LocalGateway(self.runtime, self.user_pool)
        self.server = self.gateway.serve(self.config.host, self.config.port)
        self.config.port = int(self.server.server_address[1])
        # Cognito's API, for the functions and the web apps alike, through the front that does what moto skips.
        self.gateway.local_services[FRONT_PATH] = self.cognito.handle
        self.endpoints["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] = self.base_url + FRONT_PATH.rstrip("/")
        os.environ["AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"] = self.endpoints[
            "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"
        ]
        self._say(f"serving {len(self.gateway.routes)} routes at {self.base_url}")
        for name in ADDONS:
            self._say(f"starting {name.rsplit('.', 1)[-1]}")
            module = importlib.import_module(name)
            start: Callable[[LocalStack], Stoppable] = module.start
            self.addons.append(start(self))
        self._export_process_environment()
        serve_in_thread(self.server)
        self._say(
            f"starting the stream and queue pollers, and {len(self.runtime.definitions)} functions (each in"
            " processes of its own)"
        )
        checkpoints = StreamCheckpoints(
            self.config.data_dir / STREAM_CHECKPOINTS_FILE if self.config.data_dir else None
        )
        self.poller = StreamPoller(
            self.client("dynamodbstreams"), ddb, self.config.table_name, self.runtime, checkpoints=checkpoints
        )
        self.poller.start()
        self.queues = QueuePoller(self.client("sqs"), self.runtime, self.resources)
        self.queues.start()
        threading.Thread(target=self.runtime.warm_all, name="warm-functions", daemon=True).start()
        return self

    def announce_ready(self) -> None:
        """Tell other processes (`loyalty-local expire-passes`, tests) where the stack is; called once the
        start-up work (demo seed and credential demo) is done and the stream and queues are drained, so that
        they find a quiet table."""
        if self.config.data_dir is None or self.dynamodb is None:
            return
        if self.poller is not None:
            self.poller.wait_idle()
        if self.queues is not None:
            self.queues.wait_idle()
        state = {
            "dynamodbEndpoint": self.dynamodb.endpoint,
            "tableName": self.config.table_name,
            "baseUrl": self.base_url,
            "services": self.services,
            "userPool": {
                "userPoolId": self.cognito.pool.pool_id if self.cognito else None,
                "clientId": self.cognito.pool.client_id if self.cognito else None,
            },
            "pid": os.getpid(),
        }
        (self.config.data_dir / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")

    def function_environment(self, definition: FunctionDef) -> dict[str, str]:
        """A function's own variables as Lambda would set them: its template environment (Globals and its own
        Variables) resolved to this stack's resources, local overrides of the variables it declares, and the
        services' local endpoints. Nothing else of this process's environment reaches it."""
        params = {k: v for k, v in parameter_defaults().items() if v is not None}
        environment: dict[str, str] = {}
        for name, value in definition.environment.items():
            resolved = self.resolve(value, params)
            if resolved is None:
                log.warning("%s: environment variable %s has no local value", definition.logical_id, name)
                continue
            environment[name] = resolved
        environment.update({k: v for k, v in self.config.overrides.items() if k in definition.environment})
        environment.update(self.endpoints)
        return environment

    def _export_process_environment(self) -> None:
        """Code this process runs itself (tests driving an adapter directly, the OpenAPI generator) sees every
        function's variables at once; the functions themselves never see this environment."""
        merged: dict[str, str] = {}
        for definition in self.runtime.definitions.values() if self.runtime else ():
            merged.update(self.function_environment(definition))
        os.environ.update(merged)

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
            if self.config.data_dir is not None:
                # A message that just failed comes back after the retry delay: wait for it, then keep them all.
                time.sleep(self.queues.retry_delay)
                save_waiting(self.client("sqs"), self.resources, self.config.data_dir / WAITING_MESSAGES_FILE)
        if self.cognito is not None and self.config.data_dir is not None:
            save_accounts(self.cognito.pool.pool_id, self.config.data_dir / ACCOUNTS_FILE)
        if self.server:
            self.server.shutdown()
            self.server.server_close()
        if self.runtime:
            self.runtime.stop()
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
