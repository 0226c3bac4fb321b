"""Shared fixtures: one DynamoDB Local per test session, fresh tables from template.yaml, and the whole local
stack (gateway, moto, emulators, stream poller) for end-to-end tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from loyalty_local.cloud.dynamodb_local import (
    DynamoDBLocal,
    create_table,
    dynamodb_client,
    start_dynamodb_local,
)
from loyalty_local.cloud.stack import LocalStack, StackConfig
from loyalty_local.tools.local_accounts import ensure_business

# Property tests check rules, not speed (speed is `make bench`'s): no per-example deadline and no "too slow"
# health check, which a loaded CI machine would trip on a test that is right.
settings.register_profile("rules", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("rules")

# The environment as the session found it, before a local stack exported every function's variables into this
# process (the unit layer puts it back for each of its tests: a handler under test must not find the stack's
# Google or Apple settings and reach for their secrets).
SESSION_ENVIRONMENT = dict(os.environ)


@pytest.fixture(scope="session")
def dynamodb_local() -> Iterator[DynamoDBLocal]:
    local = start_dynamodb_local()
    yield local
    local.stop()


@pytest.fixture(scope="session")
def dynamodb_endpoint(dynamodb_local: DynamoDBLocal) -> str:
    return dynamodb_local.endpoint


@pytest.fixture
def ddb(dynamodb_endpoint: str) -> Any:
    """A low-level boto3 DynamoDB client for the session's DynamoDB Local."""
    return dynamodb_client(dynamodb_endpoint)


@pytest.fixture
def table_name(ddb: Any) -> str:
    """A fresh table, created from template.yaml's LoyaltyTable definition, for this test alone."""
    name = f"t-{uuid.uuid4().hex[:12]}"
    create_table(ddb, name)
    return name


UNTHROTTLED = {
    "ENROLL_LIMIT_PER_ADDRESS": "100000",
    "ENROLL_LIMIT_PER_OFFER": "100000",
    "RECOVERY_LIMIT_PER_ADDRESS": "100000",
    # Tests edit an offer and scan at once; deployed, an edit reaches the scanner routes within the template's
    # 30 s (the cache itself: tests/unit/test_offer_cache.py).
    "OFFER_CACHE_SECONDS": "0",
}


@pytest.fixture(scope="session")
def local_stack(
    dynamodb_local: DynamoDBLocal, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalStack]:
    """The whole local stack, as `make run` starts it, on free ports with in-memory data. One per session: tests
    keep apart by creating their own businesses, offers and customers."""
    pool_file = Path(tmp_path_factory.mktemp("auth")) / "user-pool.json"
    stack = LocalStack(
        StackConfig(
            port=0,
            table_name=f"e2e-{uuid.uuid4().hex[:8]}",
            user_pool_file=pool_file,
            dynamodb=dynamodb_local,
            # The suite enrolls hundreds of customers from one address within minutes; the template's limits
            # are proven by tests/e2e/test_throttles.py on a stack of its own.
            overrides=UNTHROTTLED,
        )
    ).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def gateway(local_stack: LocalStack) -> str:
    """Base URL of the local gateway serving every route of template.yaml."""
    return local_stack.base_url


TokenFactory = Callable[..., str]


@pytest.fixture(scope="session")
def token(local_stack: LocalStack) -> TokenFactory:
    """`token(role="owner"|"manager", business_id=..., branch_id=None, ttl=3600, sub=None)` → a bearer JWT."""
    assert local_stack.user_pool is not None and local_stack.dynamodb is not None
    pool = local_stack.user_pool
    ddb = dynamodb_client(local_stack.dynamodb.endpoint)

    def issue(
        role: str = "owner",
        business_id: str | None = "biz_testbusiness01",
        branch_id: str | None = None,
        ttl: int = 3600,
        sub: str | None = None,
    ) -> str:
        if business_id:
            # As `loyalty-local token` does: the business it names exists, and so does a manager's branch.
            ensure_business(ddb, local_stack.config.table_name, business_id, branch_id)
        return pool.issue(role, business_id, branch_id, ttl=ttl, sub=sub)

    return issue


@pytest.fixture
def business_id() -> str:
    """A business of this test's own."""
    return "biz_" + uuid.uuid4().hex[:20]
