"""A function's handler run in the test's process, as API Gateway (payload v2, JWT authorizer) calls it: no
gateway, no table. Collaborators come from `loyalty.bootstrap.provided(...)` (the fakes of tests/support)."""

from __future__ import annotations

import base64
import importlib.util
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from loyalty_local.cloud.lambda_worker import LambdaContext

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
_serial = itertools.count()


def load_handler(function: str) -> ModuleType:
    """`functions/<function>/app.py`, imported afresh under a name of its own (every handler module is `app`)."""
    path = FUNCTIONS / function / "app.py"
    spec = importlib.util.spec_from_file_location(
        f"_handler_{function.replace('-', '_')}_{next(_serial)}", path
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Caller:
    """Who calls: the claims the JWT authorizer hands on (a Cognito ID token's)."""

    sub: str
    business_id: str
    groups: tuple[str, ...]
    branch_id: str | None = None

    def claims(self) -> dict[str, str]:
        claims = {
            "sub": self.sub,
            "custom:businessId": self.business_id,
            "cognito:groups": "[" + " ".join(self.groups) + "]",
        }
        if self.branch_id:
            claims["custom:branchId"] = self.branch_id
        return claims


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def call(
    module: ModuleType,
    method: str,
    path: str,
    *,
    caller: Caller | None,
    body: Any = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
) -> Answer:
    """One request through the handler, answered as API Gateway would send it back (a base64-encoded body, such
    as a pass package, as its bytes)."""
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{method} {path}",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"content-type": "application/json", **(headers or {})},
        "requestContext": {
            "http": {"method": method, "path": path, "sourceIp": "203.0.113.7"},
            "requestId": f"req-{next(_serial)}",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = dict(query)
    if caller is not None:
        event["requestContext"]["authorizer"] = {"jwt": {"claims": caller.claims(), "scopes": None}}
    if body is not None:
        event["body"] = body if isinstance(body, str) else json.dumps(body)
    raw = module.handler(event, LambdaContext("UnitFunction", 30))
    text = raw.get("body") or ""
    answer_headers = {name.lower(): value for name, value in (raw.get("headers") or {}).items()}
    if raw.get("isBase64Encoded"):
        return Answer(raw["statusCode"], answer_headers, base64.b64decode(text))
    return Answer(raw["statusCode"], answer_headers, json.loads(text) if text else None)
