"""The Apple web service's routes, handler by handler with fakes (no gateway, no table): what a phone gets for each
result (statuses, empty bodies, the updated serials and their tag, the pass package with its `Last-Modified`, a
304) and for each refusal (the contract's error body and code)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from types import ModuleType

import pytest

from loyalty import bootstrap
from loyalty.adapters.apple.links import download_token, is_download_token
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.wallets.apple_web_service import PKPASS_CONTENT_TYPE, AppleWebService
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id, new_secret_token
from loyalty.domain.passes import Pass
from tests.support.apple_fakes import InMemoryAppleRegistrations, PackingRenderer
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryPassStore
from tests.support.handlers import Answer, call, load_handler
from tests.support.passes import fresh_pass

BUSINESS = "biz_applewebroutes01"
PASS_TYPE = PackingRenderer().pass_type_id
DEVICE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
PUSH_TOKEN = "0f" * 32
BASE = "/wallet/apple/v1"


pytestmark = pytest.mark.usefixtures("handler_environment")


@pytest.fixture(scope="module")
def apple() -> ModuleType:
    return load_handler("apple-wallet")


@pytest.fixture
def wallet(store: InMemoryPassStore) -> InMemoryAppleRegistrations:
    def version_of(address: PassAddress) -> int | None:
        pass_ = store.passes.get((address.customer_id, address.offer_id))
        return pass_.version if pass_ else None

    return InMemoryAppleRegistrations(version_of)


@pytest.fixture
def provided(
    store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> Iterator[None]:
    service = AppleWebService(store, wallet, PackingRenderer(), clock, is_download_token)
    with bootstrap.provided(apple_web_service=service):
        yield


def a_phone_pass(store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations) -> Pass:
    """A pass whose package a phone downloaded an hour ago (so the phone knows it by its serial)."""
    offer = store.add_offer(an_offer(BUSINESS))
    made = fresh_pass(
        offer.stamps_required,
        to_iso(clock() - timedelta(hours=1)),
        customer_id=new_id("cus"),
        offer_id=offer.offer_id,
        business_id=BUSINESS,
    )
    pass_ = store.add_pass(replace(made, pass_serial=new_secret_token(18), auth_token=new_secret_token(24)))
    wallet.record_serial(
        PASS_TYPE, pass_.pass_serial, PassAddress(pass_.customer_id, pass_.offer_id), made.created_at
    )
    return pass_


def signed_by(pass_: Pass) -> dict[str, str]:
    return {"authorization": f"ApplePass {pass_.auth_token}"}


def register(apple: ModuleType, pass_: Pass, headers: dict[str, str], body: object) -> Answer:
    path = f"{BASE}/devices/{DEVICE}/registrations/{PASS_TYPE}/{pass_.pass_serial}"
    return call(apple, "POST", path, caller=None, headers=headers, body=body)


def updated(apple: ModuleType, since: str | None = None) -> Answer:
    query = {"passesUpdatedSince": since} if since else None
    return call(apple, "GET", f"{BASE}/devices/{DEVICE}/registrations/{PASS_TYPE}", caller=None, query=query)


@pytest.mark.usefixtures("provided")
def test_a_device_registers_201_then_200_with_empty_bodies(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    first = register(apple, pass_, signed_by(pass_), {"pushToken": PUSH_TOKEN})
    again = register(apple, pass_, signed_by(pass_), {"pushToken": PUSH_TOKEN})
    assert (first.status, first.body) == (201, None)
    assert (again.status, again.body) == (200, None)
    assert [d.push_token for d in wallet.devices_of_pass(pass_.customer_id, pass_.offer_id)] == [PUSH_TOKEN]


@pytest.mark.usefixtures("provided")
def test_a_registration_without_the_pass_token_or_a_push_token_is_refused_with_the_contract_body(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    stranger = register(apple, pass_, {"authorization": "ApplePass " + "x" * 32}, {"pushToken": PUSH_TOKEN})
    assert stranger.status == 401 and stranger.body["error"]["code"] == "UNAUTHORIZED"
    no_token = register(apple, pass_, signed_by(pass_), {"pushToken": ""})
    assert no_token.status == 422 and no_token.body["error"]["code"] == "VALIDATION_ERROR"
    assert [d["field"] for d in no_token.body["error"]["details"]] == ["pushToken"]
    not_json = register(apple, pass_, signed_by(pass_), "{")
    assert not_json.status == 400 and not_json.body["error"]["code"] == "MALFORMED_JSON"
    assert wallet.devices == {}


@pytest.mark.usefixtures("provided")
def test_updated_serials_answer_the_changed_passes_and_a_tag_then_204(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    assert register(apple, pass_, signed_by(pass_), {"pushToken": PUSH_TOKEN}).status == 201
    first = updated(apple)
    assert first.status == 200
    assert first.body["serialNumbers"] == [pass_.pass_serial] and first.body["lastUpdated"]
    unchanged = updated(apple, first.body["lastUpdated"])
    assert (unchanged.status, unchanged.body) == (204, None)
    store.add_pass(replace(pass_, version=pass_.version + 1, current_stamps=1))
    assert updated(apple, first.body["lastUpdated"]).body["serialNumbers"] == [pass_.pass_serial]


@pytest.mark.usefixtures("provided")
def test_the_latest_pass_is_the_package_with_last_modified_then_304(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    path = f"{BASE}/passes/{PASS_TYPE}/{pass_.pass_serial}"
    fresh = call(apple, "GET", path, caller=None, headers=signed_by(pass_))
    assert fresh.status == 200
    assert fresh.headers["content-type"] == PKPASS_CONTENT_TYPE
    assert fresh.body == f"{pass_.pass_serial}@{pass_.version}:{pass_.offer_id}".encode()
    assert fresh.headers["last-modified"].endswith(" GMT")
    current = call(
        apple,
        "GET",
        path,
        caller=None,
        headers={**signed_by(pass_), "if-modified-since": fresh.headers["last-modified"]},
    )
    assert (current.status, current.body) == (304, None)
    assert current.headers["last-modified"] == fresh.headers["last-modified"]
    refused = call(apple, "GET", path, caller=None)
    assert refused.status == 401 and refused.body["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.usefixtures("provided")
def test_the_download_link_answers_the_package_and_a_wrong_link_401(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    expires = int(clock().timestamp()) + 3600
    token = download_token(pass_.auth_token, pass_.customer_id, pass_.offer_id, expires)
    path = f"/wallet/apple/download/{pass_.customer_id}/{pass_.offer_id}"
    good = call(apple, "GET", path, caller=None, query={"expires": str(expires), "token": token})
    assert good.status == 200 and good.body.startswith(pass_.pass_serial.encode())
    assert good.headers["content-disposition"] == 'attachment; filename="loyalty-card.pkpass"'
    wrong = call(apple, "GET", path, caller=None, query={"expires": str(expires), "token": token[::-1]})
    assert wrong.status == 401 and wrong.body["error"]["code"] == "UNAUTHORIZED"


@pytest.mark.usefixtures("provided")
def test_a_device_unregisters_with_an_empty_200(
    apple: ModuleType, store: InMemoryPassStore, clock: FrozenClock, wallet: InMemoryAppleRegistrations
) -> None:
    pass_ = a_phone_pass(store, clock, wallet)
    register(apple, pass_, signed_by(pass_), {"pushToken": PUSH_TOKEN})
    path = f"{BASE}/devices/{DEVICE}/registrations/{PASS_TYPE}/{pass_.pass_serial}"
    gone = call(apple, "DELETE", path, caller=None, headers=signed_by(pass_))
    assert (gone.status, gone.body) == (200, None)
    assert wallet.devices == {}
    assert (updated(apple).status, updated(apple).body) == (204, None)


def test_where_apple_wallet_is_off_every_route_answers_404_apple_wallet_disabled(
    apple: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("APPLE_PASS_TYPE_ID", raising=False)
    bootstrap.reset()
    answer = updated(apple)
    assert answer.status == 404 and answer.body["error"]["code"] == "APPLE_WALLET_DISABLED"
