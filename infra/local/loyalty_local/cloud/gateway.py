"""The local API Gateway: HTTP API routes read from template.yaml, real payload-v2 events, the JWT authorizer's
checks, CORS, and the handlers' answers written back as HTTP.

Routing is API Gateway's: any method (OPTIONS, TRACE, made-up ones) goes to the route that matches it, else to
`$default`. So a browser preflight reaches the `$default` function, as deployed (API Gateway answers preflights
itself only when no route takes them), and the gateway then puts the configured CORS headers on the function's
answer, replacing any the function sent."""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from loyalty_local.cloud.edge_headers import EdgeHeaders
from loyalty_local.cloud.lambda_runtime import FunctionRuntime
from loyalty_local.cloud.template import DEFAULT_ROUTE, Route, http_routes, load_template
from loyalty_local.standins.cognito import LocalUserPool, TokenRejected, authorizer_claims
from loyalty_local.tools.web import WebApp

log = logging.getLogger("loyalty_local.cloud.gateway")

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's own payload limit
# Connections waiting to be accepted: a browser or a load test opens dozens at once, and the socketserver default
# of 5 makes the kernel drop or reset the rest.
LISTEN_BACKLOG = 256

# A local-only page (`GET /_local/...`): the query string's parameters → status and JSON body. Never deployed.
LocalPage = Callable[[dict[str, str]], tuple[int, Any]]
# A file an add-on serves: its path → status, body and headers.
LocalFile = Callable[[str], tuple[int, bytes, dict[str, str]]]
# A local-only service (`POST /_local/...`): the request's headers (lower-case names) and body → status, body,
# headers. Never deployed.
LocalService = Callable[[dict[str, str], bytes], tuple[int, bytes, dict[str, str]]]


def _specificity(route: Route) -> tuple[bool, int, int]:
    # API Gateway prefers literal paths over parameters, any parameter over a greedy one, and takes $default
    # only when nothing else matches.
    return (route.path == DEFAULT_ROUTE, route.path.count("+}"), route.path.count("{"))


def error_payload(code: str, message: str) -> bytes:
    return json.dumps({"success": False, "error": {"code": code, "message": message, "details": []}}).encode()


def cors_config() -> dict[str, Any]:
    api = load_template()["Resources"]["HttpApi"]["Properties"]
    return dict(api.get("CorsConfiguration", {}))


class LocalGateway:
    def __init__(
        self,
        runtime: FunctionRuntime,
        user_pool: LocalUserPool,
        allowed_origins: list[str] | None = None,
    ) -> None:
        self.runtime = runtime
        self.user_pool = user_pool
        self.web = WebApp(user_pool)
        # The distribution's security headers, on every answer as CloudFront gives them.
        self.edge = EdgeHeaders.from_template()
        self.routes = sorted(http_routes(), key=_specificity)
        cors = cors_config()
        self.allowed_origins = allowed_origins if allowed_origins is not None else ["http://localhost:5173"]
        self.allow_headers = ",".join(cors.get("AllowHeaders", []))
        self.allow_methods = ",".join(cors.get("AllowMethods", []))
        self.max_age = str(cors.get("MaxAge", 0))
        # Pages the local stack's add-ons serve beside the API (`/_local/mail`), by path; GET only.
        self.local_pages: dict[str, LocalPage] = {}
        # Files the add-ons serve under a path prefix as the deployed web origin would (`/brand-images/`); GET only.
        self.local_files: dict[str, LocalFile] = {}
        # Services the local stack serves at this origin (Cognito's API front), by path; POST only.
        self.local_services: dict[str, LocalService] = {}

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method not in (method, "ANY"):
                continue
            found = route.pattern.match(path)
            if found:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None

    def build_event(
        self,
        route: Route,
        path_params: dict[str, str],
        method: str,
        raw_path: str,
        raw_query: str,
        headers: dict[str, str],
        body: bytes,
        claims: dict[str, Any] | None,
        source_ip: str,
    ) -> dict[str, Any]:
        now = datetime.now(UTC)
        query: dict[str, str] = {}
        for name, value in parse_qsl(raw_query, keep_blank_values=True):
            query[name] = f"{query[name]},{value}" if name in query else value
        text_body: str | None
        is_base64 = False
        if not body:
            text_body = None
        else:
            try:
                text_body = body.decode("utf-8")
            except UnicodeDecodeError:
                text_body, is_base64 = base64.b64encode(body).decode(), True
        request_context: dict[str, Any] = {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": headers.get("host", "127.0.0.1"),
            "domainPrefix": "local",
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route.route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        }
        if claims is not None:
            request_context["authorizer"] = {"jwt": {"claims": authorizer_claims(claims), "scopes": None}}
        event: dict[str, Any] = {
            "version": "2.0",
            "routeKey": route.route_key,
            "rawPath": raw_path,
            "rawQueryString": raw_query,
            "headers": headers,
            "requestContext": request_context,
            "isBase64Encoded": is_base64,
        }
        if "cookie" in headers:
            event["cookies"] = [c.strip() for c in headers["cookie"].split(";")]
        if query:
            event["queryStringParameters"] = query
        if path_params:
            event["pathParameters"] = path_params
        if text_body is not None:
            event["body"] = text_body
        return event

    def serve(self, host: str, port: int) -> ThreadingHTTPServer:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _headers(self) -> dict[str, str]:
                merged: dict[str, str] = {}
                for name, value in self.headers.items():
                    key = name.lower()
                    merged[key] = f"{merged[key]},{value}" if key in merged else value
                return merged

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                headers = gateway.edge.apply(urlsplit(self.path).path, headers or {})
                sent = {k.lower() for k in headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                if "content-type" not in sent and body:
                    self.send_header("Content-Type", "application/json")
                for name, value in gateway.cors_headers(self.headers.get("Origin")).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def _dispatch(self) -> None:
                started = time.monotonic()
                split = urlsplit(self.path)
                headers = self._headers()
                length = _content_length(self.headers.get_all("Content-Length") or [])
                if length is None:
                    self.close_connection = True  # where this body ends is unknown: nothing more can be read
                    self._send(400, error_payload("BAD_REQUEST", "The Content-Length header is not valid."))
                    return
                if length > MAX_BODY_BYTES:
                    self.close_connection = True
                    self._send(413, error_payload("PAYLOAD_TOO_LARGE", "The request body is too large."))
                    return
                body = self.rfile.read(length) if length else b""
                service = gateway.local_services.get(split.path.rstrip("/") + "/")
                if self.command == "POST" and service is not None:
                    self._send(*service(headers, body))
                    return
                served = next((f for p, f in gateway.local_files.items() if split.path.startswith(p)), None)
                if self.command in ("GET", "HEAD") and served is not None:
                    self._send(*served(split.path))
                    return
                if self.command in ("GET", "HEAD") and (page := gateway.web.static(split.path)) is not None:
                    self._send(*page)
                    return
                # The add-ons' local pages (`/_local/mail`) before API Gateway's routing: no route or $default
                # ever sees them, and no deployed stage has them.
                local_page = gateway.local_pages.get(split.path) if self.command == "GET" else None
                if local_page is not None:
                    status, answer = local_page(dict(parse_qsl(split.query)))
                    self._send(status, json.dumps(answer, ensure_ascii=False).encode())
                    return
                matched = gateway.match(self.command, split.path)
                if matched is None:
                    self._send(404, error_payload("NOT_FOUND", "No such route."))
                    return
                route, params = matched
                claims: dict[str, Any] | None = None
                if not route.public:
                    claims = gateway.authorize(headers.get("authorization"))
                    if claims is None:
                        self._send(
                            401,
                            error_payload("UNAUTHORIZED", "A valid bearer token is required."),
                            {"WWW-Authenticate": "Bearer"},
                        )
                        return
                event = gateway.build_event(
                    route,
                    params,
                    self.command,
                    split.path,
                    split.query,
                    headers,
                    body,
                    claims,
                    self.client_address[0],
                )
                status, out_headers, out_body = gateway.invoke(route, event)
                out_headers = {
                    k: v for k, v in out_headers.items() if not k.lower().startswith("access-control-")
                }
                if self.command == "OPTIONS" and "access-control-request-method" in headers:
                    out_headers.update(gateway.preflight_headers(headers.get("origin")))
                out_headers.setdefault("X-Local-Duration-Ms", f"{(time.monotonic() - started) * 1000:.1f}")
                self._send(status, out_body, out_headers)

            def __getattr__(self, name: str) -> Any:
                # BaseHTTPRequestHandler answers 501 for a method without a `do_<METHOD>`; API Gateway routes
                # every method, so every one is dispatched (to `$default` when no route names it).
                if name.startswith("do_"):
                    return self._dispatch
                raise AttributeError(name)

        class Server(ThreadingHTTPServer):
            request_queue_size = LISTEN_BACKLOG
            daemon_threads = True

        return Server((host, port), Handler)

    def authorize(self, header: str | None) -> dict[str, Any] | None:
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            claims: dict[str, Any] = self.user_pool.verify(token.strip())
            return claims
        except TokenRejected:
            return None

    def invoke(self, route: Route, event: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
        try:
            result = self.runtime.invoke(route.function, event)
        except Exception:
            log.exception("%s failed", route.function)
            # What API Gateway answers when the integration fails.
            return 500, {}, json.dumps({"message": "Internal Server Error"}).encode()
        return _http_answer(result)

    def cors_headers(self, origin: str | None) -> dict[str, str]:
        if origin and (origin in self.allowed_origins or "*" in self.allowed_origins):
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {}

    def preflight_headers(self, origin: str | None) -> dict[str, str]:
        if not self.cors_headers(origin):
            return {}
        return {
            "Access-Control-Allow-Methods": self.allow_methods,
            "Access-Control-Allow-Headers": self.allow_headers,
            "Access-Control-Max-Age": self.max_age,
        }


def _content_length(values: list[str]) -> int | None:
    """The body's length from the Content-Length headers (0 without one), or None when they are not one
    non-negative decimal number: a request whose body cannot be delimited is refused, as API Gateway does."""
    if not values:
        return 0
    if len(set(values)) != 1 or not re.fullmatch(r"[0-9]+", values[0].strip()):
        return None
    return int(values[0].strip())


def _http_answer(result: Any) -> tuple[int, dict[str, str], bytes]:
    """Payload v2: a dict with statusCode is a full answer; anything else is a 200 JSON body."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
        for cookie in result.get("cookies") or []:
            headers.setdefault("Set-Cookie", cookie)
        raw = result.get("body") or ""
        body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
        return int(result["statusCode"]), headers, body
    return HTTPStatus.OK, {"Content-Type": "application/json"}, json.dumps(result).encode()


def serve_in_thread(server: ThreadingHTTPServer, name: str = "local-gateway") -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return thread
