"""Every function of template.yaml starts locally the way it starts on Lambda: in an execution environment of its
own, with exactly its template environment (resolved to the local stack), importing its handler cleanly."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from loyalty_local.cloud.lambda_runtime import IsolatedLambda
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.cloud.template import functions

pytestmark = pytest.mark.e2e


def test_every_function_of_the_template_starts_with_only_its_own_environment(local_stack: LocalStack) -> None:
    runtime = IsolatedLambda(local_stack.function_environment, pool_size=1)
    names = sorted(functions())
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            outcomes = dict(zip(names, pool.map(_init_error, [runtime] * len(names), names), strict=True))
        assert {name: error for name, error in outcomes.items() if error} == {}
        assert local_stack.gateway is not None
        route, params = local_stack.gateway.match("GET", "/api/health") or pytest.fail("no health route")
        event = local_stack.gateway.build_event(
            route, params, "GET", "/api/health", "", {}, b"", None, "127.0.0.1"
        )
        answer = runtime.invoke(route.function, event)
        assert answer["statusCode"] == 200
    finally:
        runtime.stop()
    assert len(names) >= 17


def _init_error(runtime: IsolatedLambda, name: str) -> str | None:
    try:
        runtime.warm(name)
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def test_a_function_gets_only_the_variables_it_declares(local_stack: LocalStack) -> None:
    """EnrollFunction declares the Google Wallet settings, the health function does not: the stack resolves
    each one's own list, so a handler that reads an undeclared setting fails here as it would deployed."""
    definitions = functions()
    enroll = local_stack.function_environment(definitions["EnrollFunction"])
    health = local_stack.function_environment(definitions["HealthFunction"])
    assert "GOOGLE_WALLET_ISSUER_ID" in enroll
    assert "GOOGLE_WALLET_ISSUER_ID" not in health
    assert "CORS_ALLOW_ORIGINS" in health
    assert "CORS_ALLOW_ORIGINS" not in enroll
    assert health["TABLE_NAME"] == enroll["TABLE_NAME"] == local_stack.config.table_name
