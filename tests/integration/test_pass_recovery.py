"""Pass recovery against DynamoDB Local with a frozen clock: a link lives 24 hours, an expired pass comes back
with one REACTIVATE event, and only the digest of a token is ever stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
from loyalty.adapters.dynamodb.recovery_links import RecoveryLinkStore
from loyalty.app.customers import recovery
from loyalty.app.customers.recovery import RecoveryMail
from loyalty.app.idempotency import StoredAnswer
from loyalty.domain.passes import Pass, PassStatus
from loyalty.domain.recovery import LinkExpired, LinkNotFound, Mail
from loyalty.entrypoints.http.render import render_pass, status_of
from loyalty_local.cloud.ledger_drain import drain
from tests.support.apple_passes import a_pass, an_offer

pytestmark = pytest.mark.integration


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


class Outbox:
    def __init__(self) -> None:
        self.sent: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.sent.append(mail)


class World:
    def __init__(self, ddb: Any, table: str) -> None:
        self.ddb, self.table = ddb, table
        self.clock = Clock()
        self.passes = DynamoPassStore(ddb, table)
        self.links = RecoveryLinkStore(ddb, table)
        self.outbox = Outbox()
        self.allowance = 3
        self.mail = RecoveryMail(self.links, self.outbox, "https://loyalty.example.com/", self.may_mail)

    def may_mail(self, _pass: Pass, _requester: str) -> bool:
        self.allowance -= 1
        return self.allowance >= 0

    def enrolled(self, **changes: Any) -> Pass:
        offer = an_offer()
        pass_ = replace(a_pass(offer, stamps=2, rewards=3), **changes)
        self.ddb.put_item(TableName=self.table, Item=to_item(offer_to_item(offer)))
        self.ddb.put_item(TableName=self.table, Item=pass_to_item(pass_))
        self.offer = offer
        return pass_

    def mailed_token(self, pass_: Pass) -> str:
        self.mail.send_link(pass_, self.offer, "2026-11-23T12:00:00.000Z")
        return self.outbox.sent[-1].text.split("token=", 1)[1].split()[0]

    def items(self) -> list[dict[str, Any]]:
        return list(self.ddb.scan(TableName=self.table)["Items"])


@pytest.fixture
def world(ddb: Any, table_name: str) -> World:
    return World(ddb, table_name)


def test_the_link_is_mailed_to_the_pass_address_and_only_its_digest_is_stored(world: World) -> None:
    pass_ = world.enrolled()
    token = world.mailed_token(pass_)
    [mail] = world.outbox.sent
    assert mail.to == pass_.email
    assert f"https://loyalty.example.com/pass/recover?token={token}" in mail.text
    assert token not in str(world.items())


def test_a_link_works_for_24_hours_then_is_410(world: World) -> None:
    pass_ = world.enrolled()
    token = world.mailed_token(pass_)
    world.clock.now += timedelta(hours=23, minutes=59)
    assert recover(world.passes, world.links, world.clock, token).body["passSerial"] == pass_.pass_serial
    world.clock.now += timedelta(minutes=2)
    with pytest.raises(LinkExpired) as refused:
        recover(world.passes, world.links, world.clock, token)
    assert (status_of(refused.value), refused.value.code) == (410, "LINK_EXPIRED")


def test_an_unknown_token_is_404(world: World) -> None:
    world.enrolled()
    with pytest.raises(LinkNotFound):
        recover(world.passes, world.links, world.clock, "A" * 43)


def test_an_expired_pass_comes_back_once_with_one_reactivate_event(world: World) -> None:
    pass_ = world.enrolled(status=PassStatus.EXPIRED, expired_at="2026-11-01T00:00:00.000Z")
    token = world.mailed_token(pass_)

    first = recover(world.passes, world.links, world.clock, token).body
    second = recover(world.passes, world.links, world.clock, token).body

    assert first["status"] == second["status"] == "ACTIVE"
    assert first["progress"]["currentStamps"] == 0 and first["progress"]["rewardsClaimed"] == 3
    drain(world.ddb, world.table)  # the ledger writes the event from the table's stream
    kinds = [i["kind"]["S"] for i in world.items() if i.get("entity", {}).get("S") == "PASS_EVENT"]
    assert kinds == ["REACTIVATE"]


def test_past_the_hourly_allowance_no_mail_leaves(world: World) -> None:
    pass_ = world.enrolled()
    for _ in range(5):
        world.mail.send_link(pass_, world.offer, "2026-11-23T12:00:00.000Z")
    assert len(world.outbox.sent) == 3


def recover(passes: DynamoPassStore, links: RecoveryLinkStore, clock: Any, token: str) -> StoredAnswer:
    """The recovery link's answer as the edge sends it (200 and the pass, the enroll answer's shape)."""
    return render_pass(recovery.recover(passes, links, clock, token, render_pass))
