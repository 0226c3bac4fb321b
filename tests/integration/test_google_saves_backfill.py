"""Passes whose Google objects were saved before Google's save/delete callbacks were subscribed: no save was
recorded for them, so the offer's `googleSaved` count and the member page under-report them until
`loyalty-local backfill-delivery --google` reads each object's `hasUsers` once (DynamoDB Local and the Google
stand-in)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from loyalty.adapters.dynamodb.google_saves_backfill import GoogleSavesRun, backfill_google_saves
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.wallet_delivery import WalletCountStore, WalletDeliveryStore
from loyalty.adapters.google.objects import object_id
from loyalty.adapters.google.users import GoogleObjectUsers
from loyalty.app.ports.delivery import GoogleCallback
from loyalty.app.ports.wallets import PassAddress
from loyalty.domain.ids import new_id
from loyalty.domain.passes import Pass
from loyalty_local.standins.google_wallet import API_PREFIX, GoogleWalletStandin
from tests.integration.test_delivery_backfill import Ledger, _record
from tests.support.google_service_account import (
    TEST_ISSUER_ID,
    google_wallet_against,
    sample_offer,
    sample_pass,
    throwaway_account,
)

pytestmark = pytest.mark.integration

AT = "2026-06-01T10:00:00Z"


def _object(address: PassAddress) -> str:
    return object_id(TEST_ISSUER_ID, address.customer_id, address.offer_id)


def _reads(standin: GoogleWalletStandin) -> list[str]:
    """The objects Google was asked for, one entry a GET."""
    prefix = f"{API_PREFIX}/loyaltyObject/"
    return [r.path.removeprefix(prefix) for r in standin.api_requests("GET", "loyaltyObject")]


def _event(address: PassAddress, *, saved: bool, millis: int) -> GoogleCallback:
    return GoogleCallback(_object(address), saved, millis, uuid.uuid4().hex, address)


def _whole_run(ddb: Any, table_name: str, users: Any, limit: int) -> list[GoogleSavesRun]:
    """Runs stopped by `limit`, each continuing where the last stopped, until one reaches the end."""
    runs = [backfill_google_saves(ddb, table_name, users, limit=limit, page_size=limit)]
    while runs[-1].start_after is not None:
        runs.append(
            backfill_google_saves(
                ddb, table_name, users, limit=limit, page_size=limit, start_after=runs[-1].start_after
            )
        )
    return runs


def test_objects_saved_before_the_callbacks_are_counted_once(
    ddb: Any, table_name: str, standin: GoogleWalletStandin
) -> None:
    offer = sample_offer(new_id("off"))
    # The wallet sync as it ran before the callbacks: the class carries no callback URL, so a holder's save
    # reaches nobody but makes the object one with users.
    google = google_wallet_against(standin, throwaway_account())
    passes: dict[str, Pass] = {
        name: sample_pass(offer, customer_id=new_id("cus"))
        for name in ("saved_before", "deleted_meanwhile", "never_saved", "no_object", "told_by_callback")
    }
    address = {name: PassAddress(p.customer_id, p.offer_id) for name, p in passes.items()}
    for name, pass_ in passes.items():
        ddb.put_item(TableName=table_name, Item=pass_to_item(pass_))
        if name != "no_object":
            google.ensure_object(offer, pass_, offer.ladder.standing(0))
    for name in ("saved_before", "deleted_meanwhile", "told_by_callback"):
        assert standin.save(_object(address[name])) == 0  # no callback went out
    delivery = WalletDeliveryStore(ddb, table_name)
    counts = WalletCountStore(ddb, table_name)
    ledger = Ledger(ddb, table_name)
    # One holder's save did come through a callback (after they were subscribed).
    assert delivery.record(
        _event(address["told_by_callback"], saved=True, millis=1_000), address["told_by_callback"], AT
    )
    ledger.catch_up()
    assert counts.of_offer(offer.offer_id)["googleSaved"] == 1  # three saved, one counted

    users = GoogleObjectUsers(
        google._client,
        TEST_ISSUER_ID,
        reads_per_second=0,  # type: ignore[attr-defined]
    )

    def has_users(asked: PassAddress) -> bool | None:
        answer = users.has_users(asked)
        if asked == address["deleted_meanwhile"]:
            # Between Google's answer and the step's write, the holder's delete callback is recorded.
            assert delivery.record(_event(asked, saved=False, millis=2_000), asked, AT)
        return answer

    runs = _whole_run(ddb, table_name, has_users, limit=2)
    assert len(runs) >= 3  # resumable: five passes, two items scanned a run
    assert sum(r.passes for r in runs) == 5
    assert (sum(r.saved for r in runs), sum(r.unsaved for r in runs), sum(r.meanwhile for r in runs)) == (
        1,
        2,
        1,
    )
    # Each object without a recorded save was read once; the one a callback told of was not read at all.
    assert sorted(_reads(standin)) == sorted(
        _object(address[n]) for n in ("saved_before", "deleted_meanwhile", "never_saved", "no_object")
    )

    # The ledger's turn: the save found is counted once, the delete recorded meanwhile stands.
    assert ledger.catch_up() == 2  # the backfill's save and the callback's delete
    assert counts.of_offer(offer.offer_id) == {
        "appleInstalled": 0,
        "appleRemoved": 0,
        "googleSaved": 2,
        "googleRemoved": 1,
        "upToDate": 0,
    }
    shown = delivery.of_passes(address.values())
    assert {name: shown[a].google_saved for name, a in address.items()} == {
        "saved_before": True,
        "deleted_meanwhile": False,
        "never_saved": None,
        "no_object": None,
        "told_by_callback": True,
    }
    # The stream hands the records over again: nothing moves twice.
    ledger.after.clear()
    ledger.catch_up()
    assert counts.of_offer(offer.offer_id)["googleSaved"] == 2

    # A second whole run reads nothing of Google and writes nothing.
    before = {name: _record(ddb, table_name, a) for name, a in address.items()}
    reads_before = len(_reads(standin))
    again = backfill_google_saves(ddb, table_name, has_users)
    assert (again.passes, again.asked, again.saved, again.start_after) == (5, 0, 0, None)
    assert len(_reads(standin)) == reads_before
    assert {name: _record(ddb, table_name, a) for name, a in address.items()} == before
    assert ledger.catch_up() == 0

    # The callbacks keep working over the backfill's answer: a later delete of the pass found saved counts.
    saved_before = address["saved_before"]
    assert delivery.record(_event(saved_before, saved=False, millis=3_000), saved_before, AT)
    ledger.catch_up()
    assert counts.of_offer(offer.offer_id)["googleSaved"] == 1
    assert counts.of_offer(offer.offer_id)["googleRemoved"] == 2


def test_google_not_answering_leaves_the_pass_to_the_next_run(
    ddb: Any, table_name: str, standin: GoogleWalletStandin
) -> None:
    offer = sample_offer(new_id("off"))
    google = google_wallet_against(standin, throwaway_account())
    pass_ = sample_pass(offer, customer_id=new_id("cus"))
    ddb.put_item(TableName=table_name, Item=pass_to_item(pass_))
    google.ensure_object(offer, pass_, offer.ladder.standing(0))
    address = PassAddress(pass_.customer_id, pass_.offer_id)
    assert standin.save(_object(address)) == 0
    users = GoogleObjectUsers(google._client, TEST_ISSUER_ID, reads_per_second=0)  # type: ignore[attr-defined]
    standin.fail_next("GET", "loyaltyObject", status=503, times=1)

    first = backfill_google_saves(ddb, table_name, users.has_users)
    assert (first.asked, first.left, first.saved) == (1, 1, 0)
    assert _record(ddb, table_name, address) is None  # nothing written for a pass Google did not answer of
    second = backfill_google_saves(ddb, table_name, users.has_users)
    assert (second.left, second.saved) == (0, 1)
    assert WalletDeliveryStore(ddb, table_name).of_passes([address])[address].google_saved is True
