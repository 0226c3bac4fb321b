"""The PassKit web service against DynamoDB Local: what a phone gets from each endpoint, and when."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from loyalty.adapters.apple.links import DOWNLOAD_LINK_SECONDS, apple_wallet_url, is_download_token
from loyalty.adapters.apple.rendering import PassRenderer
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.app.wallets.apple_updates import SETTLE, http_date
from loyalty.app.wallets.apple_web_service import MAX_DEVICES_PER_PASS, AppleWebService
from loyalty.domain.errors import Conflict, MalformedRequest, Unauthorized, ValidationFailed
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus, award_stamp
from tests.support.apple_passes import a_pass, an_issuer, an_offer
from tests.support.wallet_certs import AppleTestChain, openssl_verify, signing_credentials, unzip

pytestmark = pytest.mark.integration

DEVICE = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
PUSH_TOKEN = "f" * 64


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class World:
    def __init__(self, ddb: Any, table: str, chain: AppleTestChain) -> None:
        self.ddb = ddb
        self.table = table
        self.chain = chain
        self.clock = Clock()
        self.passes = DynamoPassStore(ddb, table)
        self.wallet = AppleWalletStore(ddb, table)
        credentials = signing_credentials(chain)
        renderer = PassRenderer(an_issuer(chain.pass_type_id, chain.team_id), lambda: credentials, 90)
        self.service = AppleWebService(self.passes, self.wallet, renderer, self.clock, is_download_token)

    def add(self, offer: Offer, pass_: Pass) -> Pass:
        self.ddb.put_item(TableName=self.table, Item=to_item(offer_to_item(offer)))
        self.ddb.put_item(TableName=self.table, Item=pass_to_item(pass_))
        return pass_

    def write(self, pass_: Pass) -> Pass:
        """A change as the scanner makes it: version + 1, updatedAt = now."""
        changed = award_stamp(pass_, self.clock.now.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z")
        self.ddb.put_item(TableName=self.table, Item=pass_to_item(changed))
        return changed

    def link(self, pass_: Pass, auth_token: str | None = None) -> tuple[str, str]:
        """The `expires` and `token` of the download link the enroll answer gives for this pass now."""
        url = apple_wallet_url(
            "https://api.example.com/wallet/apple",
            pass_.customer_id,
            pass_.offer_id,
            auth_token or pass_.auth_token,
            self.clock.now,
        )
        query = parse_qs(urlsplit(url).query)
        return query["expires"][0], query["token"][0]

    def downloaded(self, pass_: Pass) -> bytes:
        answer = self.service.download(pass_.customer_id, pass_.offer_id, *self.link(pass_))
        assert answer.body is not None
        return answer.body


@pytest.fixture
def world(ddb: Any, table_name: str, chain: AppleTestChain) -> World:
    return World(ddb, table_name, chain)


def _auth(pass_: Pass) -> str:
    return f"ApplePass {pass_.auth_token}"


def _new_pass(world: World, stamps: int = 1) -> Pass:
    offer = an_offer()
    return world.add(offer, a_pass(offer, stamps=stamps, rewards=0))


def test_download_is_a_verified_pass_for_the_token_holder_only(world: World, tmp_path: Path) -> None:
    pass_ = _new_pass(world)
    files = unzip(world.downloaded(pass_))
    assert openssl_verify(files, world.chain.root_pem, tmp_path).returncode == 0
    expires, token = world.link(pass_)
    with pytest.raises(Unauthorized):
        world.service.download(pass_.customer_id, pass_.offer_id, expires, None)
    with pytest.raises(Unauthorized):
        world.service.download(
            pass_.customer_id, pass_.offer_id, *world.link(pass_, "someone-elses-token-123")
        )
    with pytest.raises(Unauthorized):
        world.service.download(
            pass_.customer_id, pass_.offer_id, expires, pass_.auth_token
        )  # the raw token is not a link
    with pytest.raises(Unauthorized):  # a later expiry does not match the HMAC
        world.service.download(pass_.customer_id, pass_.offer_id, str(int(expires) + 86400), token)
    url = apple_wallet_url(
        "https://api.example.com/wallet/apple",
        pass_.customer_id,
        pass_.offer_id,
        pass_.auth_token,
        world.clock.now,
    )
    assert url.startswith(
        f"https://api.example.com/wallet/apple/download/{pass_.customer_id}/{pass_.offer_id}?expires="
    )
    assert pass_.auth_token not in url


def test_a_download_link_stops_working_an_hour_after_it_was_given(world: World) -> None:
    pass_ = _new_pass(world)
    expires, token = world.link(pass_)
    world.clock.now += timedelta(seconds=DOWNLOAD_LINK_SECONDS - 1)
    assert world.service.download(pass_.customer_id, pass_.offer_id, expires, token).body is not None
    world.clock.now += timedelta(seconds=2)
    with pytest.raises(Unauthorized):
        world.service.download(pass_.customer_id, pass_.offer_id, expires, token)


def test_register_201_then_200_and_401_without_the_pass_token(world: World) -> None:
    pass_ = _new_pass(world)
    world.downloaded(pass_)
    ptid, serial = world.chain.pass_type_id, pass_.pass_serial
    body = json.dumps({"pushToken": PUSH_TOKEN})
    assert world.service.register(DEVICE, ptid, serial, _auth(pass_), body).created
    assert not world.service.register(DEVICE, ptid, serial, _auth(pass_), body).created
    for wrong in (None, "", f"ApplePass {pass_.auth_token}x", f"Bearer {pass_.auth_token}", pass_.auth_token):
        with pytest.raises(Unauthorized):
            world.service.register(DEVICE, ptid, serial, wrong, body)
    with pytest.raises(Unauthorized):  # unknown serials look exactly like wrong tokens
        world.service.register(DEVICE, ptid, "no-such-serial", _auth(pass_), body)
    with pytest.raises(Unauthorized):
        world.service.register(DEVICE, "pass.other.type", serial, _auth(pass_), body)
    with pytest.raises(ValidationFailed):
        world.service.register(DEVICE, ptid, serial, _auth(pass_), json.dumps({"pushToken": ""}))
    with pytest.raises(MalformedRequest):
        world.service.register(DEVICE, ptid, serial, _auth(pass_), "{")
    with pytest.raises(Unauthorized):  # the token is checked before the body is read
        world.service.register(DEVICE, ptid, serial, None, "{")
    devices = world.wallet.devices_of_pass(pass_.customer_id, pass_.offer_id)
    assert [(d.device_library_id, d.push_token) for d in devices] == [(DEVICE, PUSH_TOKEN)]


def test_a_new_push_token_replaces_the_old_one(world: World) -> None:
    pass_ = _new_pass(world)
    world.downloaded(pass_)
    ptid = world.chain.pass_type_id
    world.service.register(
        DEVICE, ptid, pass_.pass_serial, _auth(pass_), json.dumps({"pushToken": PUSH_TOKEN})
    )
    again = world.service.register(
        DEVICE, ptid, pass_.pass_serial, _auth(pass_), json.dumps({"pushToken": "e" * 64})
    )
    assert not again.created
    devices = world.wallet.devices_of_pass(pass_.customer_id, pass_.offer_id)
    assert [d.push_token for d in devices] == ["e" * 64]
    assert [r.push_token for r in world.wallet.registrations_of_device(DEVICE, ptid)] == ["e" * 64]


def test_passes_updated_since_lists_every_pass_changed_after_the_tag(world: World) -> None:
    ptid = world.chain.pass_type_id
    pass_batch = [_new_pass(world) for _ in range(3)]
    for pass_ in pass_batch:
        world.downloaded(pass_)
        world.service.register(
            DEVICE, ptid, pass_.pass_serial, _auth(pass_), json.dumps({"pushToken": PUSH_TOKEN})
        )

    first = world.service.updated_serials(DEVICE, ptid, None)
    assert first is not None
    assert sorted(first.serial_numbers) == sorted(c.pass_serial for c in pass_batch)
    assert world.service.updated_serials(DEVICE, ptid, first.last_updated) is None  # 204

    # Two passes change, one of them twice within the same millisecond: both are listed, the third is not.
    world.write(world.write(pass_batch[0]))
    world.write(pass_batch[2])
    second = world.service.updated_serials(DEVICE, ptid, first.last_updated)
    assert second is not None
    assert sorted(second.serial_numbers) == sorted([pass_batch[0].pass_serial, pass_batch[2].pass_serial])
    assert world.service.updated_serials(DEVICE, ptid, second.last_updated) is None
    # An old tag still brings everything after it.
    again = world.service.updated_serials(DEVICE, ptid, first.last_updated)
    assert again is not None
    assert len(again.serial_numbers) == 2

    assert world.service.updated_serials("another-device", ptid, None) is None
    assert world.service.updated_serials(DEVICE, "pass.other.type", None) is None


def test_latest_pass_last_modified_and_304(world: World) -> None:
    pass_ = _new_pass(world)
    world.downloaded(pass_)
    ptid, serial = world.chain.pass_type_id, pass_.pass_serial
    world.clock.now += SETTLE
    fresh = world.service.latest_pass(ptid, serial, _auth(pass_), None)
    assert fresh.body is not None
    assert fresh.last_modified == "Fri, 02 Jan 2026 03:04:05 GMT"
    assert world.service.latest_pass(ptid, serial, _auth(pass_), fresh.last_modified).body is None  # 304
    older = http_date(datetime(2026, 1, 2, 3, 4, 4, tzinfo=UTC))
    assert world.service.latest_pass(ptid, serial, _auth(pass_), older).body is not None

    world.clock.now = datetime(2026, 11, 23, 13, 0, 0, 250_000, tzinfo=UTC)
    changed = world.write(pass_)
    right_after = world.service.latest_pass(ptid, serial, _auth(pass_), fresh.last_modified)
    assert right_after.body is not None
    assert b'"2 of 5"' in unzip(right_after.body)["pass.json"]
    # Dated a second early while a same-second write could still land, so it is fetched again later.
    assert right_after.last_modified == "Mon, 23 Nov 2026 12:59:59 GMT"
    world.clock.now += timedelta(milliseconds=300)
    world.write(changed)
    assert world.service.latest_pass(ptid, serial, _auth(pass_), right_after.last_modified).body is not None

    with pytest.raises(Unauthorized):
        world.service.latest_pass(ptid, serial, None, None)
    with pytest.raises(Unauthorized):
        world.service.latest_pass(ptid, serial, "ApplePass wrong-token-wrong-token", None)


def test_unregister_needs_the_token_and_forgets_both_sides(world: World) -> None:
    pass_ = _new_pass(world)
    world.downloaded(pass_)
    ptid, serial = world.chain.pass_type_id, pass_.pass_serial
    world.service.register(DEVICE, ptid, serial, _auth(pass_), json.dumps({"pushToken": PUSH_TOKEN}))
    with pytest.raises(Unauthorized):
        world.service.unregister(DEVICE, ptid, serial, "ApplePass nope-nope-nope-nope")
    with pytest.raises(ValidationFailed):
        world.service.unregister("DEVICE#forged", ptid, serial, _auth(pass_))
    world.service.unregister(DEVICE, ptid, serial, _auth(pass_))
    assert world.wallet.devices_of_pass(pass_.customer_id, pass_.offer_id) == []
    assert world.service.updated_serials(DEVICE, ptid, None) is None
    world.service.unregister(DEVICE, ptid, serial, _auth(pass_))  # again: still 200


def test_expired_pass_is_served_as_expired(world: World) -> None:
    offer = an_offer()
    pass_ = world.add(offer, a_pass(offer))
    assert b"expirationDate" not in unzip(world.downloaded(pass_))["pass.json"]
    expired = replace(
        pass_, status=PassStatus.EXPIRED, expired_at="2026-06-01T02:00:00.000Z", version=pass_.version + 1
    )
    world.ddb.put_item(TableName=world.table, Item=pass_to_item(expired))
    answer = world.service.latest_pass(world.chain.pass_type_id, pass_.pass_serial, _auth(pass_), None)
    assert answer.body is not None
    # Apple's dates are W3C timestamps without fractional seconds (Wallet refuses the pass otherwise).
    assert b'"expirationDate": "2026-06-01T02:00:00Z"' in unzip(answer.body)["pass.json"]


def test_a_pass_follows_at_most_ten_devices(world: World) -> None:
    pass_ = _new_pass(world)
    world.downloaded(pass_)
    ptid, serial = world.chain.pass_type_id, pass_.pass_serial
    body = json.dumps({"pushToken": PUSH_TOKEN})
    for n in range(MAX_DEVICES_PER_PASS):
        assert world.service.register(f"device{n}", ptid, serial, _auth(pass_), body).created
    with pytest.raises(Conflict):
        world.service.register("one-too-many", ptid, serial, _auth(pass_), body)
    # A known device still may.
    assert not world.service.register("device3", ptid, serial, _auth(pass_), body).created
    world.service.unregister("device3", ptid, serial, _auth(pass_))
    assert world.service.register("one-too-many", ptid, serial, _auth(pass_), body).created
