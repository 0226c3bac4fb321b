"""`loyalty-local refresh-google-classes` on the local stack's data (DynamoDB Local) and the running stack's Google
stand-in: classes made before they carried `callbackOptions` get the callback URL with the brand the wallet sync
gives them, a second run only reads, a class Google fails on is left to the next run while the others are done
(exit 3), and `--start-after` resumes a run stopped by `--limit`."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from loyalty.adapters.dynamodb.businesses import BUSINESS_ENTITY, brand_to_item, business_key
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.google.objects import class_id
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.domain.brand import Brand
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from loyalty_local.standins.google_wallet import (
    CALLBACK_PATH,
    LOCAL_ISSUER_ID,
    GoogleWalletStandin,
    local_service_account,
)
from loyalty_local.tools.cli import main as loyalty_local
from tests.support.google_service_account import sample_offer
from tests.support.local_google import local_google_standin

pytestmark = pytest.mark.integration

BASE_URL = "http://127.0.0.1:3999"
CALLBACK_URL = BASE_URL + CALLBACK_PATH
FAST = ["--google-calls-per-second", "200"]


@pytest.fixture
def local_google(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[GoogleWalletStandin, Any]]:
    """A stand-in as `make run` starts it (the local issuer, its key in the data directory), and an adapter of it
    that makes classes as the release before the callbacks did (no callback URL)."""
    with local_google_standin(tmp_path, monkeypatch) as (standin, client):
        yield (
            standin,
            GoogleWalletPasses(client, LOCAL_ISSUER_ID, "Earlier name", "https://assets.example.com/l.png"),
        )


def _running_stack(tmp_path: Path, standin: GoogleWalletStandin) -> None:
    state = {"pid": os.getpid(), "baseUrl": BASE_URL, "services": {"googleWallet": standin.url}}
    (tmp_path / "stack.json").write_text(json.dumps(state), encoding="utf-8")


def _offers(ddb: Any, table_name: str, google: GoogleWalletPasses, count: int) -> list[Offer]:
    business_id = new_id("biz")
    ddb.put_item(
        TableName=table_name,
        Item=to_item(
            {
                **business_key(business_id),
                "entity": BUSINESS_ENTITY,
                "name": "Café Nour",
                "brand": brand_to_item(Brand(background_color="#123456")),
            }
        ),
    )
    offers = [replace(sample_offer(new_id("off")), business_id=business_id) for _ in range(count)]
    for offer in offers:
        ddb.put_item(TableName=table_name, Item=to_item(offer_to_item(offer)))
        google.ensure_class(offer)
    return offers


def _class(standin: GoogleWalletStandin, offer: Offer) -> dict[str, Any]:
    found = standin.wallet_class(class_id(LOCAL_ISSUER_ID, offer.offer_id))
    assert found is not None
    return found


def test_classes_get_the_callback_url_once_and_a_failed_one_waits_for_the_next_run(
    ddb: Any,
    table_name: str,
    dynamodb_endpoint: str,
    tmp_path: Path,
    local_google: tuple[GoogleWalletStandin, GoogleWalletPasses],
    capsys: pytest.CaptureFixture[str],
) -> None:
    standin, google = local_google
    args = ["refresh-google-classes", "--endpoint", dynamodb_endpoint, "--table", table_name, *FAST]
    # No running stack: no Google to reach.
    assert loyalty_local(args) == 1
    assert "make run" in capsys.readouterr().err

    _running_stack(tmp_path, standin)
    offers = _offers(ddb, table_name, google, 3)
    assert all("callbackOptions" not in _class(standin, offer) for offer in offers)
    broken = offers[1]
    standin.fail_next("PATCH", class_id(LOCAL_ISSUER_ID, broken.offer_id), status=503)

    assert loyalty_local(args) == 3
    out = capsys.readouterr().out
    assert "updated 2, skipped 0, failed 1" in out
    assert "0 to go" not in out
    for offer in (offers[0], offers[2]):
        done = _class(standin, offer)
        assert done["callbackOptions"] == {"url": CALLBACK_URL}
        # The brand the wallet sync gives the class: the business's name and colour.
        assert done["issuerName"] == "Café Nour"
        assert done["hexBackgroundColor"] == "#123456"
    assert "callbackOptions" not in _class(standin, broken)

    assert loyalty_local(args) == 0
    out = capsys.readouterr().out
    assert "updated 1, skipped 2, failed 0" in out
    assert "0 to go" in out
    assert _class(standin, broken)["callbackOptions"] == {"url": CALLBACK_URL}

    # A third run reads each class and writes none.
    patches = len(standin.api_requests("PATCH", "loyaltyClass"))
    assert loyalty_local(args) == 0
    assert "updated 0, skipped 3, failed 0" in capsys.readouterr().out
    assert len(standin.api_requests("PATCH", "loyaltyClass")) == patches


def test_a_throttled_read_is_left_to_the_next_run_and_a_class_google_lacks_is_skipped(
    ddb: Any,
    table_name: str,
    dynamodb_endpoint: str,
    tmp_path: Path,
    local_google: tuple[GoogleWalletStandin, GoogleWalletPasses],
    capsys: pytest.CaptureFixture[str],
) -> None:
    standin, google = local_google
    _running_stack(tmp_path, standin)
    offers = _offers(ddb, table_name, google, 2)
    never_made = replace(sample_offer(new_id("off")), business_id=offers[0].business_id)
    ddb.put_item(TableName=table_name, Item=to_item(offer_to_item(never_made)))
    standin.fail_next("GET", class_id(LOCAL_ISSUER_ID, offers[0].offer_id), status=429)
    args = ["refresh-google-classes", "--endpoint", dynamodb_endpoint, "--table", table_name, *FAST]

    assert loyalty_local(args) == 3
    assert "updated 1, skipped 1, failed 1" in capsys.readouterr().out
    assert "callbackOptions" not in _class(standin, offers[0])
    # The class its first pass will make (with the URL) is not made by the step.
    assert standin.wallet_class(class_id(LOCAL_ISSUER_ID, never_made.offer_id)) is None

    assert loyalty_local(args) == 0
    assert "updated 1, skipped 2, failed 0" in capsys.readouterr().out
    assert _class(standin, offers[0])["callbackOptions"] == {"url": CALLBACK_URL}


def test_a_run_stopped_by_its_limit_resumes_where_it_stopped(
    ddb: Any,
    table_name: str,
    dynamodb_endpoint: str,
    tmp_path: Path,
    local_google: tuple[GoogleWalletStandin, GoogleWalletPasses],
    capsys: pytest.CaptureFixture[str],
) -> None:
    standin, google = local_google
    _running_stack(tmp_path, standin)
    offers = _offers(ddb, table_name, google, 3)
    args = ["refresh-google-classes", "--endpoint", dynamodb_endpoint, "--table", table_name, *FAST]

    assert loyalty_local([*args, "--limit", "1"]) == 0
    out = capsys.readouterr().out
    found = re.search(r"--start-after '(.+)'", out)
    assert found is not None, out
    while found is not None:
        assert loyalty_local([*args, "--limit", "1", "--start-after", found.group(1)]) == 0
        out = capsys.readouterr().out
        found = re.search(r"--start-after '(.+)'", out)
    assert "0 to go" in out
    assert all(_class(standin, offer)["callbackOptions"] == {"url": CALLBACK_URL} for offer in offers)


def test_aws_without_googles_settings_says_what_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ISSUER_ID", "SERVICE_ACCOUNT_SECRET_ID", "ISSUER_NAME", "PROGRAM_LOGO_URL", "CALLBACK_URL"):
        monkeypatch.delenv(f"GOOGLE_WALLET_{name}", raising=False)
    args = ["refresh-google-classes", "--aws", "--table", "LoyaltyTable"]
    assert loyalty_local(args) == 1
    assert "no GOOGLE_WALLET_ISSUER_ID" in capsys.readouterr().err
    monkeypatch.setenv("GOOGLE_WALLET_ISSUER_ID", LOCAL_ISSUER_ID)
    assert loyalty_local(args) == 1
    assert "incomplete" in capsys.readouterr().err
    for name, value in {
        "SERVICE_ACCOUNT_SECRET_ID": "google-wallet",
        "ISSUER_NAME": "Stamp Card",
        "PROGRAM_LOGO_URL": "https://assets.example.com/l.png",
    }.items():
        monkeypatch.setenv(f"GOOGLE_WALLET_{name}", value)
    assert loyalty_local(args) == 1
    assert "no GOOGLE_WALLET_CALLBACK_URL" in capsys.readouterr().err


def test_the_saves_backfill_reads_googles_settings_from_the_environment_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GOOGLE_WALLET_ISSUER_ID", LOCAL_ISSUER_ID)
    monkeypatch.delenv("GOOGLE_WALLET_SERVICE_ACCOUNT_SECRET_ID", raising=False)
    args = ["backfill-delivery", "--google", "--aws", "--table", "LoyaltyTable"]
    assert loyalty_local(args) == 1
    assert "incomplete" in capsys.readouterr().err


def test_aws_reaches_the_deployed_table_and_google_as_the_functions_do(
    ddb: Any,
    table_name: str,
    dynamodb_endpoint: str,
    tmp_path: Path,
    local_google: tuple[GoogleWalletStandin, GoogleWalletPasses],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--aws`: the table through boto3's own endpoint (DynamoDB Local here), the service account from Secrets
    Manager (moto in server mode), Google at the settings' base URLs (the stand-in)."""
    from moto.server import ThreadedMotoServer

    standin, google = local_google
    offers = _offers(ddb, table_name, google, 2)
    moto = ThreadedMotoServer(port=0, verbose=False)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        secrets = f"http://{host}:{port}"
        monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets)
        monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", dynamodb_endpoint)
        monkeypatch.setenv("AWS_REGION", "us-east-1")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local")
        import boto3

        boto3.client("secretsmanager", endpoint_url=secrets).create_secret(
            Name="google-wallet", SecretString=json.dumps(local_service_account(tmp_path))
        )
        deployed = {
            "ISSUER_ID": LOCAL_ISSUER_ID,
            "SERVICE_ACCOUNT_SECRET_ID": "google-wallet",
            "ISSUER_NAME": "Stamp Card",
            "PROGRAM_LOGO_URL": "https://assets.example.com/l.png",
            "CALLBACK_URL": "https://stamps.example.com/wallet/google/callback",
            "API_BASE_URL": standin.api_base_url,
            "TOKEN_URL": standin.token_url,
        }
        for name, value in deployed.items():
            monkeypatch.setenv(f"GOOGLE_WALLET_{name}", value)
        args = ["refresh-google-classes", "--aws", "--table", table_name, *FAST]
        assert loyalty_local(args) == 0
        assert "updated 2, skipped 0, failed 0" in capsys.readouterr().out
    finally:
        moto.stop()
    for offer in offers:
        assert _class(standin, offer)["callbackOptions"] == {"url": deployed["CALLBACK_URL"]}
