"""The unit layer runs off the network: any TCP/UDP socket a unit test opens fails at once (pytest-socket).
Unix sockets stay allowed (the event loop's self-pipe is one); a test that needs a server belongs in
tests/integration."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket

from loyalty import bootstrap
from tests.conftest import SESSION_ENVIRONMENT
from tests.support.fakes import FrozenClock, InMemoryPassStore


@pytest.fixture(autouse=True)
def _off_the_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A local stack started earlier in the session exported its functions' variables (boto3's endpoints, the
    # wallets' settings and secret names): every unit test runs in the environment the session began with.
    for name in [name for name in os.environ if SESSION_ENVIRONMENT.get(name) != os.environ[name]]:
        if name in SESSION_ENVIRONMENT:
            monkeypatch.setenv(name, SESSION_ENVIRONMENT[name])
        else:
            monkeypatch.delenv(name)
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()


# A frozen clock and the in-memory pass store on it, for the use cases' and the handlers' tests (a file needing
# another shape defines its own fixture of the same name).
@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def store(clock: FrozenClock) -> InMemoryPassStore:
    return InMemoryPassStore(clock)


@pytest.fixture
def handler_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What a handler under test reads at start (the table's name, Powertools' service and namespace), with the
    bootstrap's built parts forgotten before and after: a file of route tests marks itself with it."""
    monkeypatch.setenv("TABLE_NAME", "unit")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "loyalty")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "Loyalty")
    bootstrap.reset()
    yield
    bootstrap.reset()
