"""moto, for what AWS offers nothing local for: Step Functions (executing the ASL file), Secrets Manager, SSM."""

from __future__ import annotations

from dataclasses import dataclass

from moto.core.config import default_user_config
from moto.server import ThreadedMotoServer


@dataclass
class MotoServer:
    server: ThreadedMotoServer
    port: int

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.stop()


def start_moto(port: int) -> MotoServer:
    # The deployed ASL file runs on moto's interpreter instead of being recorded and ignored.
    default_user_config["stepfunctions"] = {"execute_state_machine": True}
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return MotoServer(server, port)
