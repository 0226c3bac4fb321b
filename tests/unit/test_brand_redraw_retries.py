"""A brand redraw that fails part-way is retried until it completes, and no pass is ever shown half-drawn.

The redraw starts off the table's stream (the business's item changed), so a queue that is down fails the record,
which comes back; each chunk of passes is one queue message, and a Google 5xx/429, an APNs error or a crash fails
the message, which comes back and is carried out whole again (a redraw sets absolute values)."""

from __future__ import annotations

import pytest

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.stream import StreamRecord
from loyalty.app.brand.brand_refresh import BrandRefresh
from loyalty.app.ports.offers import OffersRead
from loyalty.app.wallets.refresh import LadderRefreshStarter, PlanRefresh, RedrawPasses, WalletRefresh
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.brand import brand_from_fields
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass
from tests.support.apple_passes import an_offer
from tests.support.fakes import ApplePushes, GoogleObjects, InMemoryOfferPasses, Offers, RecordingQueue
from tests.support.google_service_account import sample_pass

BUSINESS = "biz_redrawretry001"
NOW = "2026-12-07T10:00:00.000Z"
SUMMER = {"backgroundColor": "#FFF8E7", "foregroundColor": "#3B2314", "labelColor": "#6B4226"}


def customer(n: int) -> str:
    return f"cus_{n:026d}"


class BusinessOffers:
    def __init__(self, offers: list[Offer]) -> None:
        self.offers = offers

    def list_for_business(self, business_id: str, *, limit: int, cursor: str | None = None) -> OffersRead:
        return OffersRead([o for o in self.offers if o.business_id == business_id], None)


class DownQueue(RecordingQueue):
    """A refresh queue that refuses the next `failures` sends (SQS unreachable)."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    def send(self, messages):  # type: ignore[no-untyped-def]
        if self.failures:
            self.failures -= 1
            raise ConnectionError("sqs unreachable")
        super().send(messages)


def business_record(sequence: int, old: dict[str, object], new: dict[str, object]) -> StreamRecord:
    base = {"PK": f"BUSINESS#{BUSINESS}", "SK": "BUSINESS", "entity": "BUSINESS", "businessId": BUSINESS}
    return StreamRecord(
        {
            "eventName": "MODIFY",
            "dynamodb": {
                "SequenceNumber": str(sequence),
                "NewImage": to_item({**base, **new}),
                "OldImage": to_item({**base, **old}),
            },
        }
    )


def test_a_new_brand_starts_the_redraw_off_the_stream_and_a_queue_down_retries_it() -> None:
    offers = [an_offer(BUSINESS), an_offer(BUSINESS, name="Tea")]
    queue = DownQueue(failures=1)
    brands = BrandRefresh(BusinessOffers(offers), LadderRefreshStarter(queue))
    wallets = Wallets(Offers({o.offer_id: o for o in offers}), ApplePushes(), GoogleObjects(), brands=brands)
    record = business_record(7, {"name": "Bean There"}, {"name": "Bean There", "brand": SUMMER})

    assert sync_batch([record], wallets) == ["7"]  # the queue was down: the record comes back
    assert queue.sent == []
    assert sync_batch([record], wallets) == []  # and, retried, starts the redraw of every offer
    assert {m.offer_id for m in queue.sent if isinstance(m, PlanRefresh)} == {o.offer_id for o in offers}


def test_a_business_write_that_changes_nothing_shown_redraws_nothing() -> None:
    queue = RecordingQueue()
    offers = [an_offer(BUSINESS)]
    brands = BrandRefresh(BusinessOffers(offers), LadderRefreshStarter(queue))
    wallets = Wallets(Offers({}), ApplePushes(), GoogleObjects(), brands=brands)
    same = {"name": "Bean There", "brand": SUMMER, "timezone": "UTC"}
    assert sync_batch([business_record(8, same, {**same, "timezone": "Asia/Riyadh"})], wallets) == []
    assert queue.sent == []


def chunk_world(
    offer: Offer, pass_batch: list[Pass]
) -> tuple[WalletRefresh, InMemoryOfferPasses, ApplePushes, GoogleObjects]:
    passes, apple, google = (
        InMemoryOfferPasses({c.customer_id: c for c in pass_batch}),
        ApplePushes(),
        GoogleObjects(),
    )
    refresh = WalletRefresh(
        Offers({offer.offer_id: offer}), passes, RecordingQueue(), apple, google, clock=lambda: _now()
    )
    return refresh, passes, apple, google


def _now():  # type: ignore[no-untyped-def]
    from loyalty.domain.clock import parse_iso

    return parse_iso(NOW)


@pytest.mark.parametrize("failure", ["google", "apns"])
def test_a_chunk_failing_mid_way_is_retried_whole_and_every_pass_ends_fully_redrawn(failure: str) -> None:
    from loyalty.app.wallets.refresh import ladder_fingerprint

    offer = an_offer(BUSINESS, brand=brand_from_fields(SUMMER))
    pass_batch = [sample_pass(offer, customer_id=customer(n)) for n in (1, 2, 3)]
    refresh, passes, apple, google = chunk_world(offer, pass_batch)
    if failure == "google":
        google.fail_for.add(customer(2))  # Google answers 5xx/429 (the client raises) for the second pass
    else:
        apple.failures = 1
    message = RedrawPasses(
        offer.offer_id, ladder_fingerprint(offer.ladder), tuple(c.customer_id for c in pass_batch)
    )

    with pytest.raises((TimeoutError, ConnectionError)):
        refresh.handle(message)  # the message fails, so the queue hands it back
    # Nothing of the third pass was touched, and Google saw no partial object: an object is drawn whole or not.
    assert passes.by_customer[customer(3)] == pass_batch[2]
    assert all(not notify for _, _, notify in google.updates)

    assert refresh.handle(message) == 3  # the retry carries the whole chunk out

    for pass_ in pass_batch:
        redrawn = passes.by_customer[pass_.customer_id]
        assert redrawn.version > pass_.version and redrawn.updated_at == NOW
        last = [c for c, _, _ in google.updates if c.customer_id == pass_.customer_id][-1]
        assert last.version == redrawn.version  # Google's object shows the pass as it now is
        assert (pass_.customer_id, offer.offer_id) in apple.sent
    assert all(not notify for _, _, notify in google.updates)  # quietly, retries included


def test_a_crash_between_two_passes_is_the_same_as_a_failure() -> None:
    """A Lambda that dies mid-chunk deletes nothing: the message comes back after its visibility timeout."""
    from loyalty.app.wallets.refresh import ladder_fingerprint

    offer = an_offer(BUSINESS, brand=brand_from_fields(SUMMER))
    pass_batch = [sample_pass(offer, customer_id=customer(n)) for n in (1, 2)]
    refresh, passes, _apple, google = chunk_world(offer, pass_batch)
    message = RedrawPasses(offer.offer_id, ladder_fingerprint(offer.ladder), (customer(1), customer(2)))

    class Crash(BaseException):
        pass

    real = passes.redraw
    calls = {"n": 0}

    def dies_on_second(customer_id: str, offer_id: str, at: str):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash()
        return real(customer_id, offer_id, at)

    passes.redraw = dies_on_second  # type: ignore[method-assign]
    with pytest.raises(Crash):
        refresh.handle(message)
    assert passes.by_customer[customer(2)] == pass_batch[1]  # untouched: still fully the old pass
    passes.redraw = real  # type: ignore[method-assign]

    assert refresh.handle(message) == 2
    assert [c.customer_id for c, _, _ in google.updates][-2:] == [customer(1), customer(2)]
    assert passes.by_customer[customer(2)].version == pass_batch[1].version + 1
