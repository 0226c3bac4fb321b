"""`loyalty-local backfill-delivery --google` on the local stack's data: it reads the running stack's Google
stand-in as the deployed functions read Google, resumes with the `--start-after` it prints, and a second run asks
Google nothing; the stand-in answers `hasUsers` on a GET of an object (DynamoDB Local and the Google stand-in)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore
from loyalty.adapters.google.objects import object_id
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.ids import new_id
from loyalty_local.standins.google_wallet import (
    LOCAL_ISSUER_ID,
    GoogleWalletStandin,
)
from loyalty_local.tools.cli import main as loyalty_local
from tests.support.google_service_account import sample_offer, sample_pass
from tests.support.local_google import local_google_standin

pytestmark = pytest.mark.integration


@pytest.fixture
def local_google(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[GoogleWalletStandin, Any]]:
    """A stand-in as `make run` starts it (the local issuer, the key kept in the data directory), and an
    adapter of it to set objects up with."""
    with local_google_standin(tmp_path, monkeypatch) as (standin, client):
        yield standin, client


def test_a_get_of_an_object_answers_whether_a_holder_saved_it(
    local_google: tuple[GoogleWalletStandin, Any],
) -> None:
    standin, client = local_google
    offer = sample_offer(new_id("off"))
    pass_ = sample_pass(offer, customer_id=new_id("cus"))
    GoogleWalletPasses(client, LOCAL_ISSUER_ID, "Café", "https://assets.example.com/logo.png").ensure_object(
        offer, pass_, offer.ladder.standing(0)
    )
    wallet_object = object_id(LOCAL_ISSUER_ID, pass_.customer_id, offer.offer_id)
    assert client.get_object(wallet_object)["hasUsers"] is False
    standin.save(wallet_object)
    assert client.get_object(wallet_object)["hasUsers"] is True
    standin.remove(wallet_object)  # Google's reference does not say a removal clears it
    assert client.get_object(wallet_object)["hasUsers"] is True
    # What the platform sets is not part of what a PATCH may send back: the object stays as it was stored.
    assert "hasUsers" not in (standin.wallet_object(wallet_object) or {})


def test_the_command_reads_the_running_stacks_google_and_resumes(
    ddb: Any,
    table_name: str,
    dynamodb_endpoint: str,
    tmp_path: Path,
    local_google: tuple[GoogleWalletStandin, Any],
    capsys: pytest.CaptureFixture[str],
) -> None:
    standin, client = local_google
    args = ["backfill-delivery", "--google", "--endpoint", dynamodb_endpoint, "--table", table_name]
    # No running stack: nothing to read Google through.
    assert loyalty_local(args) == 1
    assert "make run" in capsys.readouterr().err

    (tmp_path / "stack.json").write_text(
        json.dumps({"pid": os.getpid(), "services": {"googleWallet": standin.url}}), encoding="utf-8"
    )
    offer = sample_offer(new_id("off"))
    google = GoogleWalletPasses(client, LOCAL_ISSUER_ID, "Café", "https://assets.example.com/logo.png")
    passes = [sample_pass(offer, customer_id=new_id("cus")) for _ in range(3)]
    for pass_ in passes:
        ddb.put_item(TableName=table_name, Item=pass_to_item(pass_))
        google.ensure_object(offer, pass_, offer.ladder.standing(0))
    for pass_ in passes[:2]:
        standin.save(object_id(LOCAL_ISSUER_ID, pass_.customer_id, offer.offer_id))

    assert loyalty_local([*args, "--limit", "1", "--google-reads-per-second", "100"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"--start-after '(.+)'", out)
    assert found is not None, out
    while found is not None:
        assert loyalty_local([*args, "--limit", "1", "--start-after", found.group(1)]) == 0
        out = capsys.readouterr().out
        found = re.search(r"--start-after '(.+)'", out)
    assert "0 to go" in out
    shown = WalletDeliveryStore(ddb, table_name).of_passes(
        PassAddress(p.customer_id, p.offer_id) for p in passes
    )
    assert [shown[PassAddress(p.customer_id, p.offer_id)].google_saved for p in passes] == [True, True, None]

    reads = len(standin.api_requests("GET", "loyaltyObject"))
    assert reads == 3
    assert loyalty_local(args) == 0
    assert "asked Google of 0: saved 0" in capsys.readouterr().out
    assert len(standin.api_requests("GET", "loyaltyObject")) == reads
