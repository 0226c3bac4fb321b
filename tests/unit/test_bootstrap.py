"""The bootstrap: collaborators built once per container from one settings tree, and only those a function uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from loyalty import bootstrap
from loyalty.domain.passes import Pass, new_pass
from loyalty.settings import InvalidSettings

ROOT = Path(__file__).resolve().parents[2]
APPLE_ON = {
    "APPLE_WALLET_PASS_TYPE_ID": "pass.com.example.loyalty",
    "APPLE_WALLET_TEAM_ID": "ABCDE12345",
    "APPLE_WALLET_ORGANIZATION_NAME": "Example Coffee",
    "APPLE_WALLET_WEB_SERVICE_URL": "https://api.example.com/wallet/apple",
    "APPLE_WALLET_CERTIFICATE_SECRET_ID": "loyalty/prod/apple-wallet/pass-certificate",
    "APPLE_WALLET_APNS_KEY_SECRET_ID": "loyalty/prod/apple-wallet/apns-key",
}


@pytest.fixture(autouse=True)
def container(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A container of its own: a table, a region, and no wallet or AIR Kit configured (a local stack started
    earlier in the session may have left its variables behind)."""
    for name in list(os.environ):
        if name.startswith(("APPLE_WALLET_", "GOOGLE_WALLET_", "AIRKIT_", "WALLET_REFRESH_", "CREDENTIAL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TABLE_NAME", "first-table")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    # Without credentials boto3 would ask the instance metadata service: the network, refused here.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "unit")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "unit")
    bootstrap.reset()
    yield
    bootstrap.reset()


def pass_() -> Pass:
    return new_pass(
        customer_id="cus_" + "a" * 26,
        offer_id="off_" + "b" * 26,
        business_id="biz_cccccccccc",
        stamps_required=5,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at="2027-03-01T09:00:00.000Z",
    )


def test_a_collaborator_is_built_once_per_container(monkeypatch: pytest.MonkeyPatch) -> None:
    store = bootstrap.pass_store()
    assert bootstrap.pass_store() is store
    monkeypatch.setenv("TABLE_NAME", "second-table")
    assert bootstrap.pass_store().table_name == "first-table"  # the environment is read at cold start
    bootstrap.reset()
    assert bootstrap.pass_store().table_name == "second-table"


def test_the_enroll_answer_links_only_the_wallets_that_are_on(monkeypatch: pytest.MonkeyPatch) -> None:
    assert bootstrap.wallet_links(pass_()) is None
    for name, value in APPLE_ON.items():
        monkeypatch.setenv(name, value)
    bootstrap.reset()
    links = bootstrap.wallet_links(pass_())
    assert links is not None
    assert list(links) == ["appleWalletUrl"]
    assert links["appleWalletUrl"].startswith(
        "https://api.example.com/wallet/apple/download/cus_aaaaaaaaaaaaaaaaaaaaaaaaaa/off_"
    )


def test_a_job_without_its_queue_or_state_machine_says_which_variable_is_missing() -> None:
    with pytest.raises(InvalidSettings, match="WALLET_REFRESH_QUEUE_URL"):
        bootstrap.wallet_refresh()
    with pytest.raises(InvalidSettings, match="CREDENTIAL_STATE_MACHINE_ARN"):
        bootstrap.credential_workflows()
    with pytest.raises(InvalidSettings, match="AIRKIT_PARTNER_ID"):
        bootstrap.airkit_client()


_PROBE = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(sorted(name for name in sys.modules if name.startswith("loyalty."))))
"""


def loaded_by(function: str) -> set[str]:
    """The layer's modules a fresh interpreter holds after importing the function's handler (its cold start)."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT / "functions" / function / "app.py")],
        capture_output=True,
        text=True,
        check=True,
        env={"TABLE_NAME": "cold", "AWS_DEFAULT_REGION": "eu-west-1", "POWERTOOLS_TRACE_DISABLED": "true"},
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_the_scan_cold_starts_without_wallet_or_air_kit_code() -> None:
    loaded = loaded_by("scan")
    assert "loyalty.bootstrap" in loaded
    assert not {
        name
        for name in loaded
        if name.startswith(("loyalty.adapters.apple", "loyalty.adapters.google", "loyalty.adapters.airkit"))
    }
