"""`make smoke` passes against the local stack, which answers as the contract says a deployed stage must."""

from __future__ import annotations

import pytest

from loyalty_local.cloud.template import parameter_defaults
from loyalty_local.tools.smoke import run

pytestmark = pytest.mark.e2e


def test_the_local_stack_passes_every_smoke_check(gateway: str) -> None:
    results = run(gateway, str(parameter_defaults()["DashboardOrigin"]))
    assert [(r.name, r.problem) for r in results] == [
        ("health", None),
        ("jwks", None),
        ("preflight", None),
        ("401 body", None),
    ]
