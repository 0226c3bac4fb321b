"""APNs pushes through HTTP/2 to the local APNs stand-in, with registrations in DynamoDB Local."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jwt
import pytest

from loyalty.adapters.apple.credentials import parse_apns_key
from loyalty.adapters.apple.push import ApnsClient, ApplePassNotifier, ProviderToken, PushFailed
from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
from loyalty.app.ports.wallets import PassAddress
from loyalty_local.standins.apns import ApnsStandIn
from tests.support.wallet_certs import AppleTestChain, make_chain

pytestmark = pytest.mark.integration

AT = "2026-11-23T12:00:00.000Z"


@pytest.fixture
def wallet(ddb: Any, table_name: str) -> AppleWalletStore:
    return AppleWalletStore(ddb, table_name)


@pytest.fixture
def notifier(
    wallet: AppleWalletStore, apns: ApnsStandIn, chain: AppleTestChain
) -> Iterator[ApplePassNotifier]:
    key = parse_apns_key(chain.apns_secret())
    client = ApnsClient.connect(apns.endpoint, ProviderToken(lambda: key, chain.team_id), timeout=5)
    yield ApplePassNotifier(wallet, client)
    client.close()


def _register(
    wallet: AppleWalletStore,
    chain: AppleTestChain,
    device: str,
    serial: str,
    address: PassAddress,
    token: str,
) -> None:
    wallet.register(device, chain.pass_type_id, serial, address, token, AT)


JANE = PassAddress("cus_jane000000000000000000", "off_coffee0000000000000000")
OMAR = PassAddress("cus_omar000000000000000000", "off_coffee0000000000000000")


def test_one_push_per_registered_device_of_the_changed_pass_only(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    _register(wallet, chain, "watch", "serial-jane", JANE, "b" * 64)
    _register(wallet, chain, "omars-phone", "serial-omar", OMAR, "c" * 64)

    report = notifier.notify(JANE.customer_id, JANE.offer_id)

    assert (report.delivered, report.unregistered) == (2, 0)
    pushes = apns.delivered()
    assert sorted(p.device_token for p in pushes) == ["a" * 64, "b" * 64]
    assert {p.topic for p in pushes} == {chain.pass_type_id}
    assert all(p.payload == {} for p in pushes)
    assert {p.push_type for p in pushes} == {"background"}
    header = jwt.get_unverified_header(pushes[0].provider_token)
    assert header == {"alg": "ES256", "kid": chain.apns_key_id, "typ": "JWT"}


def test_pushes_share_one_connection_and_one_provider_token(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    for _ in range(5):
        notifier.pass_changed(JANE.customer_id, JANE.offer_id)
    assert len(apns.delivered()) == 5
    assert apns.connections_accepted == 1
    assert len({p.provider_token for p in apns.pushes}) == 1


def test_a_dead_token_unregisters_that_device_only(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "old-iphone", "serial-jane", JANE, "d" * 64)
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    apns.mark_dead("d" * 64)

    report = notifier.notify(JANE.customer_id, JANE.offer_id)

    assert (report.delivered, report.unregistered) == (1, 1)
    assert [d.device_library_id for d in wallet.devices_of_pass(JANE.customer_id, JANE.offer_id)] == [
        "iphone"
    ]
    assert wallet.registrations_of_device("old-iphone", chain.pass_type_id) == []
    notifier.notify(JANE.customer_id, JANE.offer_id)
    assert [p.device_token for p in apns.pushes].count("d" * 64) == 1  # never pushed again


def test_a_device_that_registered_again_keeps_its_new_token(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "d" * 64)
    [registration] = wallet.devices_of_pass(JANE.customer_id, JANE.offer_id)
    _register(wallet, chain, "iphone", "serial-jane", JANE, "e" * 64)  # between the push and the 410
    assert not wallet.unregister(
        registration.device_library_id,
        registration.pass_type_id,
        registration.serial,
        registration.address,
        only_push_token="d" * 64,
    )
    assert [d.push_token for d in wallet.devices_of_pass(JANE.customer_id, JANE.offer_id)] == ["e" * 64]


def test_a_failed_push_is_raised_after_trying_everyone_and_a_retry_delivers(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    _register(wallet, chain, "watch", "serial-jane", JANE, "b" * 64)
    apns.fail_next(1, 503, "ServiceUnavailable")

    with pytest.raises(PushFailed):
        notifier.pass_changed(JANE.customer_id, JANE.offer_id)
    assert len(apns.delivered()) == 1  # the other device was still told

    notifier.pass_changed(JANE.customer_id, JANE.offer_id)  # the stream's retry
    delivered = [p.device_token for p in apns.delivered()]
    assert len(delivered) == 3
    assert set(delivered) == {"a" * 64, "b" * 64}
    assert len(wallet.devices_of_pass(JANE.customer_id, JANE.offer_id)) == 2


def test_an_expired_provider_token_is_renewed_and_the_push_goes_through(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    notifier.pass_changed(JANE.customer_id, JANE.offer_id)
    apns.fail_next(1, 403, "ExpiredProviderToken")
    notifier.pass_changed(JANE.customer_id, JANE.offer_id)
    assert len(apns.delivered()) == 2
    assert len({p.provider_token for p in apns.pushes}) == 2


def test_a_wrong_key_is_refused_and_raised(
    wallet: AppleWalletStore, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    stranger = parse_apns_key(make_chain().apns_secret())
    client = ApnsClient.connect(apns.endpoint, ProviderToken(lambda: stranger, chain.team_id), timeout=5)
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    with pytest.raises(PushFailed, match="InvalidProviderToken"):
        ApplePassNotifier(wallet, client).pass_changed(JANE.customer_id, JANE.offer_id)
    client.close()
    assert apns.delivered() == []
    assert len(wallet.devices_of_pass(JANE.customer_id, JANE.offer_id)) == 1


def _shown(wallet: AppleWalletStore, address: PassAddress) -> dict[str, Any]:
    return wallet.delivery.of_passes([address])[address].as_dict()["apple"]


def test_each_push_keeps_what_apns_answered_on_the_pass(
    wallet: AppleWalletStore, notifier: ApplePassNotifier, apns: ApnsStandIn, chain: AppleTestChain
) -> None:
    _register(wallet, chain, "iphone", "serial-jane", JANE, "a" * 64)
    _register(wallet, chain, "watch", "serial-jane", JANE, "b" * 64)
    assert _shown(wallet, JANE)["lastPushAt"] is None

    notifier.notify(JANE.customer_id, JANE.offer_id)
    delivered = _shown(wallet, JANE)
    assert (delivered["devices"], delivered["lastPushResult"], delivered["upToDate"]) == (
        2,
        "DELIVERED",
        False,
    )

    apns.fail_next(1, 503, "ServiceUnavailable")
    with pytest.raises(PushFailed):
        notifier.notify(JANE.customer_id, JANE.offer_id)
    assert _shown(wallet, JANE)["lastPushResult"] == "FAILED: APNs answered 503 ServiceUnavailable"

    # Both phones gave the pass up: APNs answers 410 for each, both registrations go.
    apns.mark_dead("a" * 64)
    apns.mark_dead("b" * 64)
    notifier.notify(JANE.customer_id, JANE.offer_id)
    gone = _shown(wallet, JANE)
    assert (gone["devices"], gone["lastPushResult"], gone["upToDate"]) == (0, "UNREGISTERED", False)
    assert [p.status for p in apns.received("a" * 64)][-1] == 410
    # Nothing more is pushed to a pass on no device, and its last push stays as it was.
    notifier.notify(JANE.customer_id, JANE.offer_id)
    assert len(apns.received("a" * 64)) == 3
    assert _shown(wallet, JANE)["lastPushResult"] == "UNREGISTERED"
