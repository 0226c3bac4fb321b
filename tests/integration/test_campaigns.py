"""Campaigns against DynamoDB Local: created whole or not at all (the weekly allowance and the Idempotency-Key's
answer in the campaign's transaction), fanned out through the queue's messages to each consenting member once, in
their language, and Google's 3 notifications a pass a day kept: what would exceed waits and is counted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.campaigns import (
    DynamoCampaignAudience,
    DynamoCampaignStore,
    GoogleNotificationWindow,
)
from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_from_plain, pass_to_item
from loyalty.app.campaigns.create import CampaignDesk
from loyalty.app.campaigns.fanout import CampaignFanOut, CampaignMessage, DeliverCampaign, GoogleLater
from loyalty.app.idempotency import IdempotencyKeyReused
from loyalty.domain.campaigns import Campaign, CampaignLimit
from loyalty.domain.errors import InvalidCursor, ValidationFailed
from loyalty.domain.offers import Offer, OfferNotFound
from loyalty.domain.passes import Pass, PassStatus, StampMark
from tests.integration.test_pass_expiry import get_pass
from tests.support.apple_passes import a_pass, an_offer

pytestmark = pytest.mark.integration

BUSINESS = "biz_campaigntests000000000"
BRANCH = "brn_campaignbranch000001"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Queue:
    """What the fan-out queued, each with the moment SQS lets it go (a delayed message is held back)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.waiting: list[tuple[CampaignMessage, int]] = []
        self.due: list[tuple[datetime, CampaignMessage]] = []

    def send(self, messages: Sequence[CampaignMessage], delay_seconds: int = 0) -> None:
        self.waiting.extend((m, delay_seconds) for m in messages)
        self.due.extend((self.clock() + timedelta(seconds=delay_seconds), m) for m in messages)


class Branches:
    def branch_names(self, business_id: str) -> dict[str, str]:
        return {BRANCH: "Downtown"} if business_id == BUSINESS else {}


class Wallets:
    """Each wallet's side as a phone would notice it: pushes to Apple passes, Google messages in a language."""

    def __init__(self) -> None:
        self.apple_pushes: list[str] = []
        self.google_messages: list[tuple[str, str]] = []

    def apple(self, pass_: Pass) -> int:
        self.apple_pushes.append(pass_.customer_id)
        return 1

    def google(self, customer_id: str, campaign: Campaign, language: str) -> None:
        self.google_messages.append((customer_id, campaign.message_in(language)))


@pytest.fixture
def world(ddb: Any, table_name: str) -> dict[str, Any]:
    offer = an_offer(BUSINESS)
    DynamoOfferStore(ddb, table_name).add(offer)
    clock, wallets = Clock(), Wallets()
    queue = Queue(clock)
    store = DynamoCampaignStore(ddb, table_name)
    audience = DynamoCampaignAudience(ddb, table_name)
    desk = CampaignDesk(store, DynamoOfferStore(ddb, table_name), audience, Branches(), queue, clock)
    fanout = CampaignFanOut(
        store,
        DynamoOfferStore(ddb, table_name),
        audience,
        queue,
        wallets,
        GoogleNotificationWindow(ddb, table_name),
        clock,
        google_on=True,
        apple_on=True,
    )
    return {
        "offer": offer,
        "clock": clock,
        "queue": queue,
        "wallets": wallets,
        "desk": desk,
        "fanout": fanout,
    }


def put(ddb: Any, table: str, offer: Offer, *, consent: bool = True, **changes: Any) -> str:
    pass_ = replace(a_pass(offer), marketing_consent=consent, **changes)
    ddb.put_item(TableName=table, Item=pass_to_item(pass_))
    return pass_.customer_id


def read(ddb: Any, table: str, customer_id: str, offer: Offer) -> Pass:
    return pass_from_plain(from_item(get_pass(ddb, table, customer_id, offer.offer_id)))


def body(**changes: Any) -> dict[str, Any]:
    return {
        "message": "Double stamps this weekend",
        "messageAr": "طوابع مضاعفة هذا الأسبوع",
        "audience": {"segment": "ALL"},
        **changes,
    }


def drain(world: dict[str, Any], *, until: datetime | None = None) -> None:
    """Carry out, in the order SQS lets them go, every queued message due by `until` (now by default), the clock
    moving to each one's moment."""
    queue: Queue = world["queue"]
    clock: Clock = world["clock"]
    horizon = until or clock.now
    while True:
        due = sorted((entry for entry in queue.due if entry[0] <= horizon), key=lambda e: e[0])
        if not due:
            return
        moment, message = due[0]
        queue.due.remove(due[0])
        clock.now = max(clock.now, moment)
        world["fanout"].handle(message)


def test_a_campaign_reaches_each_consenting_member_once_in_their_language(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    yes = [put(ddb, table_name, offer) for _ in range(2)]
    arabic = put(ddb, table_name, offer, preferred_language="ar")
    no = put(ddb, table_name, offer, consent=False)
    expired = put(ddb, table_name, offer, status=PassStatus.EXPIRED, expired_at="2026-11-01T00:00:00.000Z")
    before_no = get_pass(ddb, table_name, no, offer.offer_id)

    answer = world["desk"].create(BUSINESS, offer.offer_id, body(), None)

    assert answer.status == 202
    assert answer.body["status"] == "SENDING" and answer.body["audienceSize"] == 4  # the active members
    drain(world)
    campaign = world["desk"].get(BUSINESS, offer.offer_id, answer.body["campaignId"])
    assert campaign.counts["sent"] == 3 and campaign.counts["delivered"] == 3
    assert campaign.counts["failed"] == 0 and campaign.counts["deferred"] == 0
    assert campaign.status.value == "SENT"
    wallets: Wallets = world["wallets"]
    assert sorted(wallets.apple_pushes) == sorted([*yes, arabic])
    assert (arabic, "طوابع مضاعفة هذا الأسبوع") in wallets.google_messages
    assert {(c, "Double stamps this weekend") for c in yes} <= set(wallets.google_messages)
    marked = read(ddb, table_name, arabic, offer)
    assert marked.campaign_key is not None and marked.campaign_key.endswith(campaign.campaign_id)
    # The texts stay on the campaign: the pass item keeps only the mark (it stays one write unit a scan).
    assert marked.campaign_message is None and marked.campaign_at is not None
    # Neither the member who said no nor the expired pass changed at all.
    assert get_pass(ddb, table_name, no, offer.offer_id) == before_no
    assert read(ddb, table_name, expired, offer).campaign_key is None

    # A chunk delivered again (a retry after a lost acknowledgement) sends nobody anything twice.
    world["fanout"].handle(DeliverCampaign(offer.offer_id, campaign.campaign_id, (*yes, arabic)))
    again = world["desk"].get(BUSINESS, offer.offer_id, campaign.campaign_id)
    assert again.counts == campaign.counts
    assert len(wallets.apple_pushes) == 3 and len(wallets.google_messages) == 3


def test_a_tier_or_a_branch_audience_reaches_only_its_members(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    lover = put(ddb, table_name, offer, rewards_claimed=1)  # bronze: 1..2 rewards (PLATINUM_LADDER)
    newcomer = put(ddb, table_name, offer, rewards_claimed=0)
    regular = put(
        ddb,
        table_name,
        offer,
        rewards_claimed=0,
        cycle_stamps=(
            StampMark("2026-11-30T10:00:00.000Z", BRANCH),
            StampMark("2026-12-01T10:00:00.000Z", BRANCH),
        ),
    )

    tier = world["desk"].create(
        BUSINESS, offer.offer_id, body(audience={"segment": "TIER", "tierId": "bronze"}), None
    )
    branch = world["desk"].create(
        BUSINESS, offer.offer_id, body(audience={"segment": "BRANCH", "branchId": BRANCH}), None
    )
    drain(world)

    assert tier.body["audienceSize"] == 1 and branch.body["audienceSize"] == 1
    assert read(ddb, table_name, newcomer, offer).campaign_key is None
    assert sorted(world["wallets"].apple_pushes) == sorted([lover, regular])


def test_past_the_weekly_allowance_the_owner_is_told_when_and_nothing_is_kept(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    for n in range(3):
        world["clock"].now = NOW + timedelta(minutes=n)
        world["desk"].create(BUSINESS, offer.offer_id, body(message=f"News {n}"), None)
    queued = len(world["queue"].waiting)

    with pytest.raises(CampaignLimit) as refused:
        world["desk"].create(BUSINESS, offer.offer_id, body(message="One too many"), None)

    # Wednesday 10:02 → Monday 00:00 UTC.
    assert refused.value.retry_after_seconds == int(timedelta(days=4, hours=13, minutes=58).total_seconds())
    page = world["desk"].page(BUSINESS, offer.offer_id, limit=50, cursor=None)
    assert [c.message for c in page.campaigns] == ["News 2", "News 1", "News 0"]  # newest first
    assert len(world["queue"].waiting) == queued
    # Next week the allowance is back.
    world["clock"].now = NOW + timedelta(days=5)
    assert world["desk"].create(BUSINESS, offer.offer_id, body(message="Next week"), None).status == 202


def test_the_same_key_answers_the_same_campaign_and_another_body_is_refused(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    first = world["desk"].create(BUSINESS, offer.offer_id, body(), "key-1")
    again = world["desk"].create(BUSINESS, offer.offer_id, body(), "key-1")

    assert again.body == first.body
    with pytest.raises(IdempotencyKeyReused):
        world["desk"].create(BUSINESS, offer.offer_id, body(message="Something else"), "key-1")
    page = world["desk"].page(BUSINESS, offer.offer_id, limit=50, cursor=None)
    assert len(page.campaigns) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"message": "   "}, "message"),
        ({"message": "x" * 161}, "message"),
        ({"message": "<b>Sale</b>"}, "message"),
        ({"messageAr": "عرض &amp; خصم"}, "messageAr"),
        ({"message": "Line one\nline two"}, "message"),
        ({"message": "Sale \u202eelas"}, "message"),
        ({"sendAt": "2026-12-01T10:00:00Z"}, "sendAt"),
        ({"audience": {"segment": "TIER", "tierId": "no-such-tier"}}, "audience.tierId"),
        ({"audience": {"segment": "BRANCH", "branchId": "brn_anotherbusiness0001"}}, "audience.branchId"),
        ({"audience": {"segment": "TIER"}}, "audience.tierId"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_kept_or_sent(
    ddb: Any, table_name: str, world: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    offer = world["offer"]
    put(ddb, table_name, offer)

    with pytest.raises(ValidationFailed) as refused:
        world["desk"].create(BUSINESS, offer.offer_id, body(**changes), "key-bad")

    assert field in [d.field for d in refused.value.details]
    assert world["desk"].page(BUSINESS, offer.offer_id, limit=50, cursor=None).campaigns == []
    assert world["queue"].waiting == []
    # The key was not used: the corrected body goes through under it.
    assert world["desk"].create(BUSINESS, offer.offer_id, body(), "key-bad").status == 202


def test_another_business_cannot_reach_the_offer_or_its_campaigns(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    made = world["desk"].create(BUSINESS, offer.offer_id, body(), None)
    with pytest.raises(OfferNotFound):
        world["desk"].create("biz_someoneelse0000000000", offer.offer_id, body(), None)
    with pytest.raises(OfferNotFound):
        world["desk"].get("biz_someoneelse0000000000", offer.offer_id, made.body["campaignId"])
    assert world["queue"].waiting[1:] == []


def test_pages_of_campaigns_follow_each_other_and_a_forged_cursor_is_refused(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    for n in range(3):
        world["clock"].now = NOW + timedelta(minutes=n)
        world["desk"].create(BUSINESS, offer.offer_id, body(message=f"News {n}"), None)
    first = world["desk"].page(BUSINESS, offer.offer_id, limit=2, cursor=None)
    second = world["desk"].page(BUSINESS, offer.offer_id, limit=2, cursor=first.next_cursor)

    assert [c.message for c in first.campaigns + second.campaigns] == ["News 2", "News 1", "News 0"]
    with pytest.raises(InvalidCursor):
        world["desk"].page(
            BUSINESS, offer.offer_id, limit=2, cursor="MjAyNi0xMi0wMlQxMDowMDowMC4wMDBaI2NtcF94eHh4eHh4eA"
        )


def test_a_scheduled_campaign_waits_on_the_queue_until_its_time(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    member = put(ddb, table_name, offer)
    send_at = NOW + timedelta(hours=1)

    made = world["desk"].create(BUSINESS, offer.offer_id, body(sendAt="2026-12-02T11:00:00Z"), None)
    assert made.body["status"] == "SCHEDULED" and made.body["sendAt"] == "2026-12-02T11:00:00.000Z"
    drain(world, until=NOW + timedelta(minutes=50))
    assert world["wallets"].apple_pushes == []  # 15 minutes a time on the queue, not yet due

    drain(world, until=send_at + timedelta(minutes=15))
    assert world["wallets"].apple_pushes == [member]
    assert world["desk"].get(BUSINESS, offer.offer_id, made.body["campaignId"]).status.value == "SENT"


def test_past_googles_three_notifications_a_day_the_message_waits_and_is_counted(
    ddb: Any, table_name: str, world: dict[str, Any]
) -> None:
    offer = world["offer"]
    busy = put(ddb, table_name, offer)
    quiet = put(ddb, table_name, offer)
    window = GoogleNotificationWindow(ddb, table_name)
    # The busy pass had three notifying updates today (a tier, a reminder, another campaign).
    for hours in (6, 4, 2):
        assert window.take(busy, offer.offer_id, NOW - timedelta(hours=hours)) is None

    made = world["desk"].create(BUSINESS, offer.offer_id, body(), None)
    drain(world)

    campaign = world["desk"].get(BUSINESS, offer.offer_id, made.body["campaignId"])
    assert campaign.counts["sent"] == 2 and campaign.counts["deferred"] == 1
    assert [c for c, _ in world["wallets"].google_messages] == [quiet]
    held = [(m, d) for m, d in world["queue"].waiting if isinstance(m, GoogleLater)]
    # It waits until the oldest of the three is a day (and a minute) old: 18 hours from now.
    assert len(held) == 1 and held[0][1] == 900  # the queue's longest hold, asked again until then
    drain(world, until=NOW + timedelta(hours=17, minutes=59))
    assert [c for c, _ in world["wallets"].google_messages] == [quiet]  # still waiting
    drain(world, until=NOW + timedelta(hours=18, minutes=15))
    assert [c for c, _ in world["wallets"].google_messages] == [quiet, busy]
    # Each recipient counts once as delivered (both passes' Apple devices took it too).
    assert world["desk"].get(BUSINESS, offer.offer_id, campaign.campaign_id).counts["delivered"] == 2
