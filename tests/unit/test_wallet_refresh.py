"""Wallet refresh after a ladder change: who gets redrawn, in which chunks, what a racing scan or a newer ladder
does, and what the wallet sync hands over."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.app.wallets.refresh import (
    CHUNK,
    LadderRefreshStarter,
    MalformedRefreshMessage,
    PlanRefresh,
    RedrawPasses,
    RefreshMessage,
    WalletRefresh,
    ladder_fingerprint,
    parse_message,
)
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.tiers import parse_tier_config
from tests.support.fakes import ApplePushes, GoogleObjects, InMemoryOfferPasses, Offers, RecordingQueue
from tests.support.google_service_account import StreamRecords, sample_offer, sample_pass
from tests.support.ladders import COFFEE_SHOP

OFFER = sample_offer()
COFFEE = replace(OFFER, loyalty_tiers=parse_tier_config(COFFEE_SHOP))
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def customer(n: int) -> str:
    return f"cus_{n:026d}"


def world(
    pass_batch: list[Pass], offer: Offer = COFFEE
) -> tuple[WalletRefresh, RecordingQueue, InMemoryOfferPasses, ApplePushes, GoogleObjects]:
    queue, passes, apple, google = (
        RecordingQueue(),
        InMemoryOfferPasses({c.customer_id: c for c in pass_batch}),
        ApplePushes(),
        GoogleObjects(),
    )
    refresh = WalletRefresh(Offers({offer.offer_id: offer}), passes, queue, apple, google, clock=lambda: NOW)
    return refresh, queue, passes, apple, google


def test_the_fingerprint_is_the_ladder_not_its_spelling() -> None:
    reordered = replace(
        OFFER, loyalty_tiers=parse_tier_config({**COFFEE_SHOP, "tiers": COFFEE_SHOP["tiers"][::-1]})
    )
    disabled = replace(OFFER, loyalty_tiers=parse_tier_config({**COFFEE_SHOP, "enabled": False}))
    assert ladder_fingerprint(reordered.ladder) == ladder_fingerprint(COFFEE.ladder)
    assert ladder_fingerprint(disabled.ladder) == ladder_fingerprint(OFFER.ladder)  # both the defaults
    assert ladder_fingerprint(COFFEE.ladder) != ladder_fingerprint(OFFER.ladder)


@given(
    st.integers(min_value=0, max_value=3 * CHUNK + 1),
    st.integers(min_value=1, max_value=60),
    st.sets(st.integers(min_value=0, max_value=3 * CHUNK + 1)),
)
def test_a_plan_queues_every_active_pass_once_in_chunks(count: int, page: int, ended: set[int]) -> None:
    """Ended passes (expired, erased) are not listed: a redraw leaves them alone, so a page may list none of
    the entries it read and still lead on to the next."""
    pass_batch = [
        sample_pass(
            COFFEE,
            customer_id=customer(n),
            member_since=f"2026-0{1 + n % 9}-01T00:00:00.000Z",
            status=PassStatus.EXPIRED if n in ended else PassStatus.ACTIVE,
        )
        for n in range(count)
    ]
    refresh, queue, _, _, _ = world(pass_batch)
    refresh = replace(refresh, plan_page=page)
    fingerprint = ladder_fingerprint(COFFEE.ladder)
    pending: list[RefreshMessage] = [PlanRefresh(COFFEE.offer_id, fingerprint)]
    queued: list[str] = []
    while pending:
        message = pending.pop(0)
        if isinstance(message, RedrawPasses):
            assert 1 <= len(message.customer_ids) <= CHUNK
            queued.extend(message.customer_ids)
            continue
        queue.sent.clear()
        refresh.handle(message)
        pending.extend(queue.sent)
    assert sorted(queued) == [customer(n) for n in range(count) if n not in ended]


def test_a_chunk_redraws_each_active_pass_quietly_on_both_wallets() -> None:
    regular = sample_pass(COFFEE, customer_id=customer(1), rewards_claimed=5)
    newcomer = sample_pass(COFFEE, customer_id=customer(2))
    gone = sample_pass(COFFEE, customer_id=customer(3), status=PassStatus.EXPIRED)
    refresh, _, passes, apple, google = world([regular, newcomer, gone])
    message = RedrawPasses(
        COFFEE.offer_id, ladder_fingerprint(COFFEE.ladder), (customer(1), customer(2), customer(3))
    )

    assert refresh.handle(message) == 2

    assert [(pass_.customer_id, notify) for pass_, _, notify in google.updates] == [
        (customer(1), False),
        (customer(2), False),
    ]
    standing = google.updates[0][1]
    assert standing.current is not None and standing.current.name == "Coffee Expert"
    assert apple.sent == [(customer(1), COFFEE.offer_id), (customer(2), COFFEE.offer_id)]
    # The version moved (a phone's tag sees the pass as changed) and so did updatedAt (Last-Modified).
    assert passes.by_customer[customer(1)].version == regular.version + 1
    assert passes.by_customer[customer(1)].updated_at == "2026-11-23T12:00:00.000Z"
    assert passes.by_customer[customer(1)].last_activity_at == regular.last_activity_at
    assert passes.by_customer[customer(3)] == gone


def test_a_scan_racing_the_redraw_is_drawn_again_with_its_stamp() -> None:
    pass_ = sample_pass(COFFEE, customer_id=customer(1), current_stamps=2)
    refresh, _, passes, _, google = world([pass_])
    passes.scan_during_redraw.add(customer(1))

    refresh.handle(RedrawPasses(COFFEE.offer_id, ladder_fingerprint(COFFEE.ladder), (customer(1),)))

    assert [drawn.current_stamps for drawn, _, _ in google.updates] == [2, 3]


def test_a_chunk_for_a_ladder_no_longer_in_force_is_dropped() -> None:
    refresh, queue, passes, apple, google = world([sample_pass(COFFEE, customer_id=customer(1))])
    stale = ladder_fingerprint(OFFER.ladder)  # planned for the defaults; the coffee ladder is in force now
    assert refresh.handle(RedrawPasses(COFFEE.offer_id, stale, (customer(1),))) == 0
    refresh.handle(PlanRefresh(COFFEE.offer_id, stale))
    assert (passes.redraws, google.updates, apple.sent, queue.sent) == ([], [], [], [])


def test_out_of_time_the_rest_of_the_chunk_goes_back_to_the_queue() -> None:
    pass_batch = [sample_pass(COFFEE, customer_id=customer(n)) for n in range(5)]
    refresh, queue, passes, _, _ = world(pass_batch)
    fingerprint = ladder_fingerprint(COFFEE.ladder)
    answers = iter([True, True, False])

    drawn = refresh.handle(
        RedrawPasses(COFFEE.offer_id, fingerprint, tuple(c.customer_id for c in pass_batch)),
        time_left=lambda: next(answers),
    )

    assert drawn == 2
    assert passes.redraws == [customer(0), customer(1)]
    assert queue.sent == [RedrawPasses(COFFEE.offer_id, fingerprint, (customer(2), customer(3), customer(4)))]


def test_a_failing_wallet_fails_the_message_so_it_comes_back() -> None:
    refresh, _, _, _, google = world([sample_pass(COFFEE, customer_id=customer(1))])
    google.fail_for.add(customer(1))
    with pytest.raises(TimeoutError):
        refresh.handle(RedrawPasses(COFFEE.offer_id, ladder_fingerprint(COFFEE.ladder), (customer(1),)))
    assert (
        refresh.handle(RedrawPasses(COFFEE.offer_id, ladder_fingerprint(COFFEE.ladder), (customer(1),))) == 1
    )


@pytest.mark.parametrize(
    "message",
    [
        PlanRefresh(OFFER.offer_id, "abc"),
        PlanRefresh(OFFER.offer_id, "abc", f"2026-11-23T12:00:00.000Z#{customer(7)}"),
        PlanRefresh(OFFER.offer_id, "abc", customer(7)),  # queued by the former listing (GSI3)
        RedrawPasses(OFFER.offer_id, "abc", (customer(1), customer(2))),
    ],
)
def test_messages_read_back_as_written(message: RefreshMessage) -> None:
    assert parse_message(json.dumps(message.as_dict())) == message


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"kind": "plan", "ladder": "abc"}',
        '{"kind": "plan", "offerId": "off_x", "ladder": "abc"}',
        f'{{"kind": "plan", "offerId": "{OFFER.offer_id}", "ladder": "abc", "after": "PASS#x"}}',
        f'{{"kind": "plan", "offerId": "{OFFER.offer_id}", "ladder": "abc", "after": "#{customer(7)}"}}',
        f'{{"kind": "plan", "offerId": "{OFFER.offer_id}", "ladder": "abc", "after": "x#{customer(7)}"}}',
        f'{{"kind": "redraw", "offerId": "{OFFER.offer_id}", "ladder": "abc", "customerIds": []}}',
        f'{{"kind": "redraw", "offerId": "{OFFER.offer_id}", "ladder": "abc", "customerIds": ["cus_1"]}}',
        f'{{"kind": "erase", "offerId": "{OFFER.offer_id}", "ladder": "abc"}}',
    ],
)
def test_anything_else_is_refused(body: str) -> None:
    with pytest.raises(MalformedRefreshMessage):
        parse_message(body)


# ---------------------------------------------------------------- the wallet sync's hand-over


def sync_wallets(queue: RecordingQueue, *, apple: bool = True, google: bool = True) -> Wallets:
    return Wallets(
        offers=Offers({OFFER.offer_id: OFFER}),
        apple=ApplePushes() if apple else None,
        google=GoogleObjects() if google else None,
        ladders=LadderRefreshStarter(queue),
    )


def test_a_new_ladder_starts_one_refresh_planned_for_it() -> None:
    queue, records = RecordingQueue(), StreamRecords()
    assert sync_batch([records.offer_changed(OFFER, COFFEE)], sync_wallets(queue)) == []
    assert queue.sent == [PlanRefresh(OFFER.offer_id, ladder_fingerprint(COFFEE.ladder))]


def test_the_same_ladder_again_or_a_new_offer_starts_nothing() -> None:
    queue, records = RecordingQueue(), StreamRecords()
    respelled = replace(
        COFFEE, loyalty_tiers=parse_tier_config({**COFFEE_SHOP, "tiers": COFFEE_SHOP["tiers"][::-1]})
    )
    batch = [records.offer_created(COFFEE), records.offer_changed(COFFEE, respelled)]
    assert sync_batch(batch, sync_wallets(queue)) == []
    assert queue.sent == []


def test_no_wallet_no_refresh() -> None:
    queue, records = RecordingQueue(), StreamRecords()
    assert (
        sync_batch([records.offer_changed(OFFER, COFFEE)], sync_wallets(queue, apple=False, google=False))
        == []
    )
    assert queue.sent == []
