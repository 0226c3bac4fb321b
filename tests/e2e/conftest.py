"""The e2e tests' people and things, once: an owner and a branch manager of the test's business (through the local
gateway, with tokens of the local user pool), an offer of theirs, and the wallet stand-ins of the local stack.
A test file needing another shape (another offer, another client) defines its own fixture of the same name."""

from __future__ import annotations

import pytest

from loyalty_local.cloud.function_urls import FunctionUrls
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.apple_wallet import AppleWalletLocal
from loyalty_local.standins.google_wallet import GoogleWalletStandin
from tests.conftest import TokenFactory
from tests.support.counter import Counter


@pytest.fixture
def owner(gateway: str, token: TokenFactory, business_id: str) -> Counter:
    return Counter(gateway, token("owner", business_id, sub="owner-1"))


@pytest.fixture
def manager(gateway: str, token: TokenFactory, business_id: str) -> Counter:
    return Counter(gateway, token("manager", business_id, branch_id="branch-1", sub="manager-1"))


@pytest.fixture
def offer_id(owner: Counter) -> str:
    return owner.create_offer(stamps_required=5)


@pytest.fixture(scope="module")
def apple(local_stack: LocalStack) -> AppleWalletLocal:
    return next(addon for addon in local_stack.addons if isinstance(addon, AppleWalletLocal))


@pytest.fixture(scope="module")
def google(local_stack: LocalStack) -> GoogleWalletStandin:
    return next(addon for addon in local_stack.addons if isinstance(addon, GoogleWalletStandin))


@pytest.fixture(scope="module")
def apple_web_service(local_stack: LocalStack) -> str:
    """`webServiceURL` of a pass rendered now: the Apple Wallet function's own URL (docs/decisions/0021j)."""
    urls = next(addon for addon in local_stack.addons if isinstance(addon, FunctionUrls))
    return urls.url_of("AppleWalletFunction") + "wallet/apple"
