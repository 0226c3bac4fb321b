"""Campaigns: items read per recipient and fan-out time for 10,000 recipients, cost per 1,000, Google's 3 a day.

On a table created from template.yaml in DynamoDB Local: one offer with 10,000 members who said yes to offers and
news and 1,000 who did not. The campaign is created by the routes' use case and fanned out by the queue worker's
code, its queue kept in-process (every message it sends is carried out in order, as SQS would deliver them) and the
wallets off (their HTTP time is not ours: the stand-ins measure that elsewhere). Every read is counted by a botocore
hook: a Query's ScannedCount, one item a GetItem, each item a BatchGetItem answers.

The busy week: 300 passes, three campaigns, the Sunday expiry reminder for a third of them and up to four tier
upgrades a day for the keenest, every notifying Google update going through the pass's notification window as the
worker and the wallet sync do; what Google would receive is counted per pass over every 24-hour window.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.figures import Figure
from bench.loaders import bench_pass, in_dynamodb_local, load_items, metered_client, new_table, plain_offer
from loyalty.adapters.dynamodb.campaigns import (
    DynamoCampaignAudience,
    DynamoCampaignStore,
    GoogleNotificationWindow,
)
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.app.campaigns.create import CampaignDesk
from loyalty.app.campaigns.fanout import CampaignFanOut, CampaignMessage
from loyalty.domain.clock import to_iso
from loyalty.domain.ids import new_id
from loyalty.domain.offers import Offer
from loyalty.domain.passes import Pass

RECIPIENTS = 10_000
WITHOUT_CONSENT = 1_000
NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # a Monday
BUSINESS = "biz_benchcampaigns0000001"
ENGLISH = "Double stamps all weekend at every branch: bring a friend and both of you get an extra stamp"
ARABIC = "طوابع مضاعفة طوال عطلة نهاية الأسبوع في كل الفروع: أحضر صديقًا ويحصل كل منكما على طابع إضافي"

# List prices (USD, us-east-1, on-demand) the cost line assumes.
DYNAMODB_WRITE_UNIT = 0.625 / 1_000_000
DYNAMODB_READ_UNIT = 0.125 / 1_000_000
SQS_REQUEST = 0.40 / 1_000_000
LAMBDA_GB_SECOND_ARM = 0.0000133334
LAMBDA_REQUEST = 0.20 / 1_000_000
LAMBDA_MEMORY_GB = 0.5  # template.yaml's Globals
CHUNK_RECIPIENTS = 25


class Clock:
    def __init__(self, at: datetime) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now


class InProcessQueue:
    """The campaign queue as SQS delivers it: in order, each message once, its delay honoured by the clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.due: list[tuple[datetime, int, CampaignMessage]] = []
        self.sent = 0

    def send(self, messages: Sequence[CampaignMessage], delay_seconds: int = 0) -> None:
        for message in messages:
            self.sent += 1
            self.due.append((self.clock() + timedelta(seconds=delay_seconds), self.sent, message))

    def drain(self, fanout: CampaignFanOut) -> int:
        handled = 0
        while self.due:
            self.due.sort(key=lambda entry: (entry[0], entry[1]))
            at, _, message = self.due.pop(0)
            self.clock.now = max(self.clock.now, at)
            fanout.handle(message)
            handled += 1
        return handled


class NoBranches:
    def branch_names(self, business_id: str) -> dict[str, str]:
        return {}


def _pass(rng: random.Random, offer: Offer, consent: bool) -> Pass:
    at = to_iso(NOW - timedelta(days=rng.uniform(1, 60)))
    return bench_pass(
        offer.offer_id,
        BUSINESS,
        at,
        current_stamps=rng.randint(0, 4),
        lifetime_stamps=4,
        version=5,
        preferred_language=rng.choice(("en", "ar")),
        marketing_consent=consent,
        marketing_consent_at=at if consent else None,
    )


def _item_bytes(item: dict[str, Any]) -> int:
    """DynamoDB's item size: attribute names and values, UTF-8."""
    size = 0
    for name, value in item.items():
        size += len(name.encode())
        ((kind, raw),) = value.items()
        size += len(str(raw).encode()) if kind != "BOOL" else 1
    return size


def _marked_bytes(pass_: Pass, english: str = "", arabic: str = "") -> int:
    """A pass item's size once a campaign's mark wrote its key and time onto it (and, to compare, the texts as
    the pass kept them before they moved to the campaign item)."""
    key_and_time = len(b"campaignKey") + 60 + len(b"campaignAt") + 24
    texts = 0
    if english or arabic:
        texts = (
            len(b"campaignMessage") + len(english.encode()) + len(b"campaignMessageAr") + len(arabic.encode())
        )
    return _item_bytes(pass_to_item(pass_)) + key_and_time + texts


def _fan_out(endpoint: str) -> list[Figure]:
    table = "bench-campaigns"
    loader = new_table(endpoint, table)
    offer = plain_offer(BUSINESS, "Bench Card")
    DynamoOfferStore(loader, table).add(offer)
    rng = random.Random(25)
    pass_batch = [_pass(rng, offer, True) for _ in range(RECIPIENTS)]
    pass_batch += [_pass(rng, offer, False) for _ in range(WITHOUT_CONSENT)]
    load_items(loader, table, [pass_to_item(pass_) for pass_ in pass_batch])

    client, meter = metered_client(endpoint)
    clock = Clock(NOW)
    queue = InProcessQueue(clock)
    store = DynamoCampaignStore(client, table)
    audience = DynamoCampaignAudience(client, table)
    desk = CampaignDesk(store, DynamoOfferStore(client, table), audience, NoBranches(), queue, clock)
    fanout = CampaignFanOut(
        store,
        DynamoOfferStore(client, table),
        audience,
        queue,
        None,
        GoogleNotificationWindow(client, table),
        clock,
    )
    created = desk.create(
        BUSINESS,
        offer.offer_id,
        {"message": ENGLISH, "messageAr": ARABIC, "audience": {"segment": "ALL"}},
        None,
    )
    reads_to_create = meter.items_read
    started = time.perf_counter()
    messages = queue.drain(fanout)
    seconds = time.perf_counter() - started
    campaign = store.get(offer.offer_id, str(created.body["campaignId"]))
    if campaign is None or campaign.counts["sent"] != RECIPIENTS:
        raise RuntimeError(f"the campaign did not reach every consenting member: {campaign}")
    fan_out_reads = meter.items_read - reads_to_create
    per_recipient = fan_out_reads / RECIPIENTS

    marked_size = _marked_bytes(pass_batch[0])
    # Had the pass kept the longest texts a campaign may have (160 characters each; an Arabic letter is 2 bytes).
    longest_size = _marked_bytes(pass_batch[0], "x" * 160, ("ب" * 160))
    write_units_per_mark = math.ceil(marked_size / 1024)
    chunks = math.ceil(RECIPIENTS / CHUNK_RECIPIENTS)
    write_units = (
        (
            RECIPIENTS * write_units_per_mark  # each recipient's mark
            + RECIPIENTS  # each Google recipient's notification window (every recipient assumed on Google)
            + chunks  # the counts, once a chunk
        )
        / RECIPIENTS
        * 1000
    )
    # Keys-only index entries (about 100 bytes) read 4 KB to half a unit (eventually consistent); the campaign's
    # own GetItem (strongly consistent) once a message.
    read_units = (fan_out_reads * 100 / 4096 * 0.5 + messages) / RECIPIENTS * 1000
    sqs_requests = (messages / 10 + 2 * messages) / RECIPIENTS * 1000  # sent ten a batch; received; deleted
    lambda_seconds = seconds / RECIPIENTS * 1000
    cost = (
        write_units * DYNAMODB_WRITE_UNIT
        + read_units * DYNAMODB_READ_UNIT
        + sqs_requests * SQS_REQUEST
        + lambda_seconds * LAMBDA_MEMORY_GB * LAMBDA_GB_SECOND_ARM
        + messages / RECIPIENTS * 1000 * LAMBDA_REQUEST
    )
    loader.delete_table(TableName=table)
    return [
        Figure(
            f"campaign items read per recipient ({RECIPIENTS:,} consenting + {WITHOUT_CONSENT:,} not)",
            per_recipient,
            "items",
            "aim <= 1.2",
        ),
        Figure(
            "  items read to create it, in all (audience size: a COUNT query)",
            reads_to_create,
            "items",
            f"{RECIPIENTS + WITHOUT_CONSENT:,} index entries counted once",
        ),
        Figure(
            "  items read per recipient, creation included",
            (reads_to_create + fan_out_reads) / RECIPIENTS,
            "items",
            "the COUNT query reads the audience once more",
        ),
        Figure("  queue messages carried out", messages, "messages", f"chunks of {CHUNK_RECIPIENTS}"),
        Figure(
            "pass item bytes after a campaign's mark",
            marked_size,
            "bytes",
            f"{math.ceil(marked_size / 1024)} write unit(s) a later scan; texts on the campaign item",
        ),
        Figure(
            "  had the pass kept 160-character texts",
            longest_size,
            "bytes",
            f"{math.ceil(longest_size / 1024)} write units a later scan",
        ),
        Figure(
            f"campaign fan-out seconds for {RECIPIENTS:,} recipients",
            seconds,
            "s",
            "DynamoDB Local, one worker in-process, wallets off",
        ),
        Figure(
            "campaign cost per 1,000 recipients",
            cost,
            "USD",
            f"${cost:.5f}; list prices, us-east-1 on-demand; assumptions below",
        ),
        Figure(
            f"  assumed: DynamoDB writes {write_units_per_mark} WRU a mark (item ~{marked_size} B) + 1 window + counts",
            write_units,
            "WRU/1000",
            "$0.625 per million",
        ),
        Figure(
            "  assumed: DynamoDB reads (keys-only index entries ~100 B)",
            read_units,
            "RRU/1000",
            "$0.125 per million",
        ),
        Figure(
            "  assumed: SQS requests (send ten a batch, receive, delete)",
            sqs_requests,
            "req/1000",
            "$0.40 per million",
        ),
        Figure(
            "  assumed: Lambda arm64 512 MB for the measured time",
            lambda_seconds,
            "s/1000",
            "$0.0000133334 per GB-s, $0.20 per million requests; Google Wallet API and APNs cost nothing",
        ),
    ]


def _busy_week(endpoint: str) -> list[Figure]:
    """Every notifying update of a busy week asks the pass's window first; what Google would receive is counted."""
    table = "bench-campaigns-week"
    client = new_table(endpoint, table)
    window = GoogleNotificationWindow(client, table)
    rng = random.Random(7)
    passes = [(new_id("cus"), "off_benchweek000000000001") for _ in range(300)]
    events: list[tuple[datetime, str, tuple[str, str]]] = []
    monday = NOW.replace(hour=0)
    for day, hour in ((0, 9), (2, 12), (4, 18)):  # the week's three campaigns
        events += [
            (monday + timedelta(days=day, hours=hour, seconds=n), "campaign", p) for n, p in enumerate(passes)
        ]
    events += [(monday + timedelta(days=6, hours=2), "reminder", p) for p in passes[:100]]
    for customer in passes[:60]:  # the keenest: up to four tier upgrades on a busy day, every day
        for day in range(7):
            for _ in range(rng.randint(0, 4)):
                events.append((monday + timedelta(days=day, hours=rng.uniform(8, 22)), "tier", customer))
    # One timeline, in time order as the world runs: a held message (a campaign's, or the wallet sync's notice of a
    # tier or a reminder, held on the campaign queue) comes back when its window frees.
    timeline = sorted((at, n, kind, address) for n, (at, kind, address) in enumerate(events))
    received: dict[tuple[str, str], list[datetime]] = {}
    notices_held = deferred = 0
    order = len(timeline)
    while timeline:
        at, _, kind, address = timeline.pop(0)
        frees = window.take(address[0], address[1], at)
        if frees is None:
            received.setdefault(address, []).append(at)
            continue
        if kind == "tier" or kind == "reminder":
            notices_held += 1  # the pass shows it at once; the notification waits for the window
        if kind == "campaign":
            deferred += 1
        order += 1
        timeline.append((frees, order, "held", address))
        timeline.sort()
    most = 0
    for times in received.values():
        times.sort()
        for n, start in enumerate(times):
            most = max(most, sum(1 for t in times[n:] if t - start < timedelta(hours=24)))
    client.delete_table(TableName=table)
    return [
        Figure("Google notifying updates per pass per 24 h (max)", most, "updates", "aim <= 3, busy week"),
        Figure("  campaign messages deferred by the window, all sent later", deferred, "messages"),
        Figure(
            "  notifying updates Google received in the week", sum(map(len, received.values())), "updates"
        ),
        Figure("  tier or reminder notices held by the window, all sent later", notices_held, "notices"),
    ]


def run() -> list[Figure]:
    return in_dynamodb_local(lambda endpoint: _fan_out(endpoint) + _busy_week(endpoint))
