"""Lambda function URLs on the local stack: each function of template.yaml with a `FunctionUrlConfig` gets a listener
of its own that turns HTTP requests into the function-URL event (payload format 2.0) and runs the function in the
local runtime, as Lambda's URL endpoint does; and the template's `AWS::SSM::Parameter` resources are made in moto's
SSM from their own definitions (the one that keeps the Apple Wallet function's URL among them).

What the listener refuses, as Lambda's endpoint does:
- A URL with `AuthType: NONE` answers 403 unless the function's resource-based policy grants the public both
  `lambda:InvokeFunctionUrl` (SAM adds it with `FunctionUrlConfig`) and, since October 2025, `lambda:InvokeFunction`
  through the URL (`InvokedViaFunctionUrl: true`): Lambda developer guide, "Control access to Lambda function URLs".
- A URL with `AuthType: AWS_IAM` answers 403 to a request without a Signature Version 4 `Authorization` header (same
  page): nothing here signs, so nothing here passes.
- A request body over 6 MB answers 413 (Lambda developer guide, "Lambda quotas": invocation payload, 6 MB
  synchronous).
- A function that fails answers 502 (Lambda developer guide, "Invoking Lambda function URLs": the function's error
  is not passed on).

The event is the one that page describes: `version` 2.0, `routeKey` `$default`, `rawPath`, `rawQueryString`,
lower-case `headers`, `queryStringParameters` (repeated names joined by commas), `cookies`, `requestContext.http`,
a body base64-encoded unless it is text."""

from __future__ import annotations

import base64
import json
import logging
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from loyalty_local.cloud.gateway import serve_in_thread
from loyalty_local.cloud.lambda_runtime import FunctionRuntime
from loyalty_local.cloud.template import load_template, parameter_defaults

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

log = logging.getLogger("loyalty_local.cloud.function_urls")

MAX_PAYLOAD_BYTES = 6 * 1024 * 1024
FORBIDDEN = {
    "Message": "Forbidden. For troubleshooting Function URL authorization issues, see: "
    "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"
}
# Media types Lambda passes as text; any other body reaches the function base64-encoded.
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")


@dataclass(frozen=True)
class FunctionUrlDef:
    function: str  # the function's logical id
    auth_type: str
    public_invoke_url: bool  # lambda:InvokeFunctionUrl granted to "*" for AuthType NONE
    public_invoke_function: bool  # lambda:InvokeFunction granted to "*" through the URL

    @property
    def logical_id(self) -> str:
        """SAM's name for the generated `AWS::Lambda::Url` (`<Function>Url`)."""
        return f"{self.function}Url"

    def refusal(self, headers: dict[str, str]) -> bool:
        if self.auth_type == "AWS_IAM":
            return not headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 ")
        return not (self.public_invoke_url and self.public_invoke_function)


def _names(value: Any, function: str) -> bool:
    return bool(value in ({"Ref": function}, function, {"Fn::GetAtt": [function, "Arn"]}))


def function_urls(template: dict[str, Any] | None = None) -> list[FunctionUrlDef]:
    """Every function with a `FunctionUrlConfig`, with what its resource-based policy grants the public."""
    template = template or load_template()
    resources = template["Resources"]
    permissions = [
        r.get("Properties", {}) for r in resources.values() if r.get("Type") == "AWS::Lambda::Permission"
    ]
    found = []
    for logical_id, resource in resources.items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        config = resource.get("Properties", {}).get("FunctionUrlConfig")
        if not config:
            continue
        auth = str(config.get("AuthType", ""))
        mine = [
            p for p in permissions if _names(p.get("FunctionName"), logical_id) and p.get("Principal") == "*"
        ]
        invoke_url = auth == "NONE" or any(
            p.get("Action") == "lambda:InvokeFunctionUrl" and p.get("FunctionUrlAuthType") == "NONE"
            for p in mine
        )
        invoke_function = any(
            p.get("Action") == "lambda:InvokeFunction" and p.get("InvokedViaFunctionUrl") in (True, "true")
            for p in mine
        )
        found.append(FunctionUrlDef(logical_id, auth, invoke_url, invoke_function))
    return found


def url_event(
    method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str, url_id: str
) -> dict[str, Any]:
    """The function-URL event of one request (`target` is the request line's path and query)."""
    split = urlsplit(target)
    now = datetime.now(UTC)
    query: dict[str, str] = {}
    for name, value in parse_qsl(split.query, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": split.path or "/",
        "rawQueryString": split.query,
        "headers": {k: v for k, v in headers.items() if k != "cookie"},
        "requestContext": {
            "accountId": "anonymous",
            "apiId": url_id,
            "domainName": headers.get("host", "127.0.0.1"),
            "domainPrefix": url_id,
            "http": {
                "method": method,
                "path": split.path or "/",
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": False,
    }
    if "cookie" in headers:
        event["cookies"] = [c.strip() for c in headers["cookie"].split(";")]
    if query:
        event["queryStringParameters"] = query
    if body:
        kind = headers.get("content-type", "").lower()
        text: str | None = None
        if kind.startswith(_TEXT_TYPES):
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                text = None
        if text is None:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        else:
            event["body"] = text
    return event


def _answer(result: Any) -> tuple[int, dict[str, str], bytes]:
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        raw = result.get("body") or ""
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        return int(result["statusCode"]), headers, body
    # A result without statusCode is a 200 JSON body (Lambda developer guide, "Invoking Lambda function URLs").
    return 200, {"Content-Type": "application/json"}, json.dumps(result).encode()


@dataclass
class FunctionUrl:
    definition: FunctionUrlDef
    server: ThreadingHTTPServer
    url_id: str
    cookies: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        """As `Fn::GetAtt <Function>Url.FunctionUrl` gives it: with a trailing slash."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve(definition: FunctionUrlDef, runtime: FunctionRuntime, host: str, port: int) -> FunctionUrl:
    url_id = uuid.uuid4().hex[:26]
    invoke: Callable[[dict[str, Any]], Any] = lambda event: runtime.invoke(definition.function, event)  # noqa: E731

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self, status: int, message: dict[str, str]) -> None:
            self._send(status, json.dumps(message).encode(), {"Content-Type": "application/json"})

        def _dispatch(self) -> None:
            headers: dict[str, str] = {}
            for name, value in self.headers.items():
                key = name.lower()
                headers[key] = f"{headers[key]},{value}" if key in headers else value
            try:
                length = int(headers.get("content-length", "0") or "0")
            except ValueError:
                length = -1
            if length < 0:
                self.close_connection = True
                self._refuse(400, {"Message": "Bad Request"})
                return
            if length > MAX_PAYLOAD_BYTES:
                self.close_connection = True
                self._refuse(
                    413,
                    {
                        "Message": "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
                    },
                )
                return
            body = self.rfile.read(length) if length else b""
            if definition.refusal(headers):
                self._refuse(403, FORBIDDEN)
                return
            event = url_event(self.command, self.path, headers, body, self.client_address[0], url_id)
            try:
                result = invoke(event)
            except Exception:
                log.exception("%s failed behind its function URL", definition.function)
                self._refuse(502, {"Message": "Internal Server Error"})
                return
            status, out_headers, out_body = _answer(result)
            self._send(status, out_body, out_headers)

        def __getattr__(self, name: str) -> Any:
            if name.startswith("do_"):
                return self._dispatch
            raise AttributeError(name)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

    server = Server((host, port), Handler)
    serve_in_thread(server, f"function-url-{definition.function}")
    return FunctionUrl(definition, server, url_id)


def _port_near(host: str, wanted: int) -> int:
    """`wanted` when it is free (`make run` keeps its URLs across restarts: passes in simulators carry them), else
    any free port."""
    with socket.socket() as probe:
        try:
            probe.bind((host, wanted))
        except OSError:
            return 0
    return wanted


def put_parameters(stack: LocalStack) -> dict[str, str]:
    """The template's `AWS::SSM::Parameter` resources, made in moto's SSM with their values resolved on this
    stack; name → value."""
    params = {k: v for k, v in parameter_defaults().items() if v is not None}
    ssm = stack.client("ssm")
    made: dict[str, str] = {}
    for logical_id, resource in load_template()["Resources"].items():
        if resource.get("Type") != "AWS::SSM::Parameter":
            continue
        props = resource["Properties"]
        name, value = stack.resolve(props["Name"], params), stack.resolve(props["Value"], params)
        if name is None or value is None:
            raise RuntimeError(f"{logical_id}: its name or value has no local value")
        ssm.put_parameter(Name=name, Value=value, Type=props.get("Type", "String"), Overwrite=True)
        stack.resources[logical_id] = name
        made[name] = value
    return made


@dataclass
class FunctionUrls:
    """What `start` serves, for tests: function logical id → its URL."""

    urls: dict[str, FunctionUrl]
    parameters: dict[str, str]

    def url_of(self, function: str) -> str:
        return self.urls[function].url

    def describe(self) -> str:
        return "\n".join(f"  function URL   {u.url}   ({name})" for name, u in self.urls.items())

    def stop(self) -> None:
        for served in self.urls.values():
            served.stop()


def start(stack: LocalStack) -> FunctionUrls:
    """The stack add-on: a listener per function URL, then the template's SSM parameters (which may name them)."""
    if stack.runtime is None:
        raise RuntimeError("function URLs need the stack's runtime")
    urls: dict[str, FunctionUrl] = {}
    for n, definition in enumerate(function_urls(), start=1):
        port = _port_near(stack.config.host, stack.config.port + n) if stack.config.data_dir else 0
        served = serve(definition, stack.runtime, stack.config.host, port)
        urls[definition.function] = served
        stack.resources[f"{definition.logical_id}.FunctionUrl"] = served.url
        stack.services[f"function-url:{definition.function}"] = served.url
    return FunctionUrls(urls, put_parameters(stack))
