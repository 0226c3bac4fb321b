"""moto, for what AWS offers nothing local for: Step Functions (executing the ASL file), Secrets Manager, SSM, SQS,
SES and Cognito."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer

from loyalty_local.cloud.ast_guard import serialize_ast_parsing


@dataclass
class MotoServer:
    server: ThreadedMotoServer
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.stop()


class _QuietApiCalls(logging.Filter):
    """Drops the request log line of each successful AWS API call to moto (`POST /`, one a second from the
    queue poller's long polls alone); errors and every other server's requests are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not ('"POST / HTTP/1.1" 200' in message and record.levelno <= logging.INFO)


def start_moto(port: int) -> MotoServer:
    # moto's threads parse Python while this process's own threads may too: see ast_guard (CPython gh-106905).
    serialize_ast_parsing()
    # The deployed ASL file runs on moto's interpreter instead of being recorded and ignored.
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    # The user pool and app client get ids derived from their definition, so they keep them across restarts
    # (the web apps' sign-ins and `loyalty-local token`'s tokens stay valid) as a deployed pool does.
    os.environ["MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY"] = "HASH"
    os.environ["MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY"] = "HASH"
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _QuietApiCalls) for f in werkzeug.filters):
        werkzeug.addFilter(_QuietApiCalls())
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return MotoServer(server, port)
