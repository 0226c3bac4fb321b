"""Fixtures the integration suites share: the Google Wallet stand-in, a throwaway Apple chain, the APNs stand-in,
a moto server for the module and its SQS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from loyalty_local.cloud.dynamodb_local import free_port
from loyalty_local.cloud.moto_server import MotoServer, start_moto
from loyalty_local.standins.apns import ApnsStandIn
from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.support.google_service_account import TEST_ISSUER_ID, throwaway_account
from tests.support.wallet_certs import AppleTestChain, make_chain


@pytest.fixture(scope="module")
def running() -> Iterator[GoogleWalletStandin]:
    """One Google Wallet stand-in per module, trusting the throwaway service account."""
    standin = GoogleWalletStandin(TEST_ISSUER_ID).start()
    standin.trust(throwaway_account())
    yield standin
    standin.stop()


@pytest.fixture
def standin(running: GoogleWalletStandin) -> GoogleWalletStandin:
    """The module's stand-in, emptied for this test."""
    running.reset()
    return running


@pytest.fixture(scope="module")
def chain() -> AppleTestChain:
    return make_chain("pass.test.loyalty", "TEAM123456")


@pytest.fixture
def apns(chain: AppleTestChain) -> Iterator[ApnsStandIn]:
    standin = ApnsStandIn(
        chain.apns_public_key(), chain.apns_key_id, chain.team_id, frozenset({chain.pass_type_id})
    ).start()
    yield standin
    standin.stop()


@pytest.fixture(scope="module")
def moto() -> Iterator[MotoServer]:
    server = start_moto(free_port())
    yield server
    server.stop()


@pytest.fixture
def sqs(moto: MotoServer) -> Any:
    return boto3.client(
        "sqs",
        endpoint_url=moto.endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
    )
