"""The unit layer runs off the network: any TCP/UDP socket a unit test opens fails at once (pytest-socket).
Unix sockets stay allowed (the event loop's self-pipe is one); a test that needs a server belongs in
tests/integration."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket


@pytest.fixture(autouse=True)
def _off_the_network() -> Iterator[None]:
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()
