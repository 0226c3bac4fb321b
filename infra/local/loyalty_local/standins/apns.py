"""A local stand-in for APNs (`api.push.apple.com`): HTTP/2 spoken from the first byte (h2c, prior
knowledge) on a loopback port, checking what Apple checks — the path, `apns-topic`, `apns-push-type` (required
on watchOS, and "background" for a pass update; with it only priority 5), a JSON body, and the ES256 provider
token (`kid`, `iss`, `iat` not older than an hour) — and recording every push so tests can count them.
Tokens marked dead are answered 410 `Unregistered`, as Apple answers for a pass removed from a phone; faults
can be queued to answer the next pushes with, say, 503.

With `tls` given it speaks HTTP/2 over TLS instead and trusts providers as APNs's certificate-based connections do
("Establishing a certificate-based connection to APNs", developer.apple.com/documentation/usernotifications;
the Wallet Developer Guide, "Updating a Pass": pass updates are pushed over a connection made with the pass type
ID certificate): the handshake requires a client certificate issued under the trusted root, and a push may name
only the topic that certificate is for (its subject's UID, the pass type ID); another topic is 400
`TopicDisallowed` and no provider token is looked at ("Handling notification responses from APNs").

Besides Apple's `POST /3/device/{token}` it answers `GET /_standin/pushes` (what it recorded, as JSON). Answers
of any size leave in frames no larger than the peer allows and within its flow-control window.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import ssl
import tempfile
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey

log = logging.getLogger("loyalty_local.apns")

PROVIDER_TOKEN_MAX_AGE = 3600
MAX_PAYLOAD = 4096


@dataclass(frozen=True)
class RecordedPush:
    device_token: str
    topic: str
    push_type: str
    payload: dict[str, Any]
    provider_token: str
    at: float
    status: int
    reason: str | None


@dataclass(frozen=True)
class ApnsTls:
    """The stand-in's side of certificate-based trust: its own certificate and key (PEM), and the root that the
    providers' certificates must chain to."""

    certificate_pem: str
    key_pem: str
    client_root_pem: str

    def context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.verify_mode = ssl.CERT_REQUIRED  # no certificate, no connection
        context.load_verify_locations(cadata=self.client_root_pem)
        context.set_alpn_protocols(["h2"])
        with tempfile.TemporaryDirectory(prefix="apns-standin-") as directory:
            certificate = os.path.join(directory, "certificate.pem")
            key = os.path.join(directory, "key.pem")
            with open(certificate, "w", encoding="utf-8") as handle:
                handle.write(self.certificate_pem)
            with open(key, "w", encoding="utf-8") as handle:
                handle.write(self.key_pem)
            context.load_cert_chain(certificate, key)
        return context


def certificate_topic(peer: dict[str, Any] | None) -> str | None:
    """The topic a provider certificate is for: its subject's UID (Python names it `userId`), the pass type ID."""
    for attribute in (peer or {}).get("subject", ()):
        for name, value in attribute:
            if name == "userId":
                return str(value)
    return None


@dataclass
class ApnsStandIn:
    public_key: EllipticCurvePublicKey | None
    key_id: str
    team_id: str
    topics: frozenset[str]
    tls: ApnsTls | None = None
    host: str = "127.0.0.1"
    port: int = 0
    pushes: list[RecordedPush] = field(default_factory=list)
    dead_tokens: set[str] = field(default_factory=set)
    # When each dead token stopped being valid: APNs's 410 body carries it as `timestamp`.
    dead_since: dict[str, float] = field(default_factory=dict)
    connections_accepted: int = 0
    _faults: deque[tuple[int, str]] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _socket: socket.socket | None = None
    _stopped: threading.Event = field(default_factory=threading.Event)
    _context: ssl.SSLContext | None = None

    @property
    def endpoint(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    # ------------------------------------------------------------------ what tests use
    def delivered(self, device_token: str | None = None) -> list[RecordedPush]:
        with self._lock:
            return [
                p
                for p in self.pushes
                if p.status == 200 and (device_token is None or p.device_token == device_token)
            ]

    def mark_dead(self, device_token: str) -> None:
        """The pass left that device's wallet (its app unregistered the token): from now on APNs answers it 410
        `Unregistered`, with the moment it stopped being valid (Apple Developer Documentation, "Handling
        notification responses from APNs": status 410, "The device token is no longer active for the topic",
        reason `Unregistered`, and `timestamp`, the time in milliseconds at which APNs confirmed it)."""
        with self._lock:
            self.dead_tokens.add(device_token)
            self.dead_since.setdefault(device_token, time.time())

    def received(self, device_token: str) -> list[RecordedPush]:
        """Every push sent to a device token, whatever APNs answered (what that device got, or was refused)."""
        with self._lock:
            return [p for p in self.pushes if p.device_token == device_token]

    def fail_next(self, count: int, status: int = 503, reason: str = "ServiceUnavailable") -> None:
        with self._lock:
            self._faults.extend([(status, reason)] * count)

    # ------------------------------------------------------------------ server
    def start(self) -> ApnsStandIn:
        self._context = self.tls.context() if self.tls else None
        listener = socket.create_server((self.host, self.port))
        self._socket = listener
        self.port = int(listener.getsockname()[1])
        threading.Thread(target=self._accept, name="apns-standin", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._socket is not None:
            self._socket.close()

    def _accept(self) -> None:
        if self._socket is None:
            raise RuntimeError("the APNs stand-in accepts only once started")
        while not self._stopped.is_set():
            try:
                client, _ = self._socket.accept()
            except OSError:
                return
            with self._lock:
                self.connections_accepted += 1
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        client = raw
        certified: str | None = None
        if self._context is not None:
            try:
                wrapped = self._context.wrap_socket(raw, server_side=True)
            except (OSError, ssl.SSLError) as error:
                log.info("APNs stand-in: handshake refused (%s)", type(error).__name__)
                raw.close()
                return
            certified = certificate_topic(wrapped.getpeercert())
            client = wrapped
        connection = h2.connection.H2Connection(
            h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
        )
        connection.initiate_connection()
        streams: dict[int, tuple[dict[str, str], bytearray]] = {}
        outgoing: dict[int, bytearray] = {}
        with client:
            try:
                client.sendall(connection.data_to_send())
                while not self._stopped.is_set():
                    data = client.recv(65536)
                    if not data:
                        return
                    for event in connection.receive_data(data):
                        if isinstance(event, h2.events.RequestReceived):
                            headers = {str(k): str(v) for k, v in event.headers or []}
                            streams[event.stream_id] = (headers, bytearray())
                        elif isinstance(event, h2.events.DataReceived):
                            streams[event.stream_id][1].extend(event.data or b"")
                            connection.acknowledge_received_data(
                                event.flow_controlled_length, event.stream_id
                            )
                        elif isinstance(event, h2.events.StreamEnded):
                            headers, body = streams.pop(event.stream_id)
                            status, extra, answer = self._answer(headers, bytes(body), certified)
                            connection.send_headers(
                                event.stream_id,
                                [(":status", str(status)), ("apns-id", str(uuid.uuid4())), *extra],
                                end_stream=not answer,
                            )
                            if answer:
                                outgoing[event.stream_id] = bytearray(answer)
                        elif isinstance(event, h2.events.StreamReset):
                            outgoing.pop(event.stream_id, None)
                        elif isinstance(event, h2.events.ConnectionTerminated):
                            client.sendall(connection.data_to_send())
                            return
                    # Window updates arrive as events above; whatever they allow now leaves.
                    _send_within_limits(connection, outgoing)
                    client.sendall(connection.data_to_send())
            except (OSError, h2.exceptions.ProtocolError):
                return

    # ------------------------------------------------------------------ Apple's rules
    def _answer(
        self, headers: dict[str, str], body: bytes, certified: str | None = None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        method, path = headers.get(":method", ""), headers.get(":path", "")
        if method == "GET" and path == "/_standin/pushes":
            with self._lock:
                recorded = [asdict(p) for p in self.pushes]
            return 200, [("content-type", "application/json")], json.dumps(recorded).encode()
        if not path.startswith("/3/device/") or len(path) <= len("/3/device/"):
            return _reject(404, "BadPath")
        if method != "POST":
            return _reject(405, "MethodNotAllowed")
        device_token = path[len("/3/device/") :]
        topic = headers.get("apns-topic", "")
        push_type = headers.get("apns-push-type", "")
        provider_token = headers.get("authorization", "").removeprefix("bearer ").strip()
        if self.tls is not None:
            status, reason = self._judge_certified(certified, topic, body)
            if status == 200:
                status, reason = self._fault_or_dead(device_token)
        else:
            status, reason = self._judge(device_token, topic, provider_token, body)
        if status == 200 and push_type != "background":
            # A pass update is a background push; watchOS drops a push without the header.
            status, reason = 400, "InvalidPushType"
        elif status == 200 and headers.get("apns-priority", "5") != "5":
            status, reason = 400, "BadPriority"
        try:
            payload = json.loads(body) if body else {}
        except ValueError:
            payload = {}
        push = RecordedPush(
            device_token,
            topic,
            push_type,
            payload if isinstance(payload, dict) else {},
            provider_token,
            time.time(),
            status,
            reason,
        )
        with self._lock:
            self.pushes.append(push)
        log.info("APNs stand-in: push to %s… on %s → %s %s", device_token[:8], topic, status, reason or "")
        if status == 200:
            return 200, [], b""
        if status == 410:
            since = self.dead_since.get(device_token, time.time())
            stamp = json.dumps({"reason": reason, "timestamp": int(since * 1000)}).encode()
            return 410, [("content-type", "application/json")], stamp
        return _reject(status, reason or "")

    def _judge_certified(self, certified: str | None, topic: str, body: bytes) -> tuple[int, str | None]:
        """A connection trusted by its certificate pushes only to that certificate's topic."""
        if certified is None:
            return 403, "BadCertificate"
        if not topic:
            return 400, "MissingTopic"
        if topic != certified:
            return 400, "TopicDisallowed"
        return self._payload_problem(body) or (200, None)

    def _payload_problem(self, body: bytes) -> tuple[int, str | None] | None:
        if not body:
            return 400, "PayloadEmpty"
        if len(body) > MAX_PAYLOAD:
            return 413, "PayloadTooLarge"
        try:
            json.loads(body)
        except ValueError:
            return 400, "BadPayload"
        return None

    def _fault_or_dead(self, device_token: str) -> tuple[int, str | None]:
        with self._lock:
            if self._faults:
                return self._faults.popleft()
            if device_token in self.dead_tokens:
                return 410, "Unregistered"
        return 200, None

    def _judge(
        self, device_token: str, topic: str, provider_token: str, body: bytes
    ) -> tuple[int, str | None]:
        if self.public_key is None:
            return 403, "InvalidProviderToken"
        if not provider_token:
            return 403, "MissingProviderToken"
        try:
            header = jwt.get_unverified_header(provider_token)
            claims = jwt.decode(
                provider_token, self.public_key, algorithms=["ES256"], options={"require": ["iss", "iat"]}
            )
        except jwt.PyJWTError:
            return 403, "InvalidProviderToken"
        if header.get("kid") != self.key_id or claims.get("iss") != self.team_id:
            return 403, "InvalidProviderToken"
        if time.time() - float(claims["iat"]) > PROVIDER_TOKEN_MAX_AGE:
            return 403, "ExpiredProviderToken"
        if not topic:
            return 400, "MissingTopic"
        if topic not in self.topics:
            return 400, "TopicDisallowed"
        return self._payload_problem(body) or self._fault_or_dead(device_token)


def _send_within_limits(connection: h2.connection.H2Connection, outgoing: dict[int, bytearray]) -> None:
    """Queue as much of each answer as the peer's frame size and flow-control windows allow; the rest waits
    for its window updates (an answer past one frame, ~16 KB, or one window, ~64 KB, used to break)."""
    for stream_id in list(outgoing):
        remaining = outgoing[stream_id]
        while remaining:
            size = min(
                len(remaining),
                connection.max_outbound_frame_size,
                connection.local_flow_control_window(stream_id),
            )
            if size <= 0:
                break
            connection.send_data(stream_id, bytes(remaining[:size]), end_stream=size == len(remaining))
            del remaining[:size]
        if not remaining:
            del outgoing[stream_id]


def _reject(status: int, reason: str) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("content-type", "application/json")], json.dumps({"reason": reason}).encode()
