"""The expiry reminder against DynamoDB Local: the month of the activity index the expiry's rule makes due read per
setting in use (decision 0021f), each due pass reminded once in its quiet period, nothing written to passes that
are not due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.adapters.dynamodb.reminders import DynamoReminderIndex
from loyalty.app.passes.reminders import send_expiry_reminders
from loyalty.domain.offers import OfferChanges
from loyalty.domain.passes import Pass
from loyalty.domain.reminders import ReminderWeek, notice_for
from tests.integration.test_pass_expiry import BUSINESS, get_pass, pass_item, record_scan
from tests.support.apple_passes import an_offer

pytestmark = pytest.mark.integration

# A Sunday 02:00 UTC, as the weekly schedule runs; D = 90 days, so with N = 14 the month read is August 2026: the
# weekly expiry of 6 December (cutoff 7 September) takes its passes, the one of 29 November (31 August) does not.
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
DAYS = 90


def put(ddb: Any, table: str, offer_id: str, idle_days: float, stamps: int = 3) -> tuple[str, str]:
    item = pass_item(NOW - timedelta(days=idle_days), current_stamps=stamps)
    _, customer_id, _ = item["PK"]["S"].split("#", 2)
    item["PK"] = {"S": f"PASS#{customer_id}#{offer_id}"}
    item["GSI4PK"] = {"S": f"MEMBERS#{offer_id}"}
    ddb.put_item(TableName=table, Item=item)
    return customer_id, offer_id


def pass_(ddb: Any, table: str, address: tuple[str, str]) -> Pass:
    return pass_from_plain(from_item(get_pass(ddb, table, *address)))


def run(ddb: Any, table: str, at: datetime = NOW) -> Any:
    return send_expiry_reminders(
        DynamoReminderIndex(ddb, table), DynamoOfferStore(ddb, table), at, DAYS, clock=lambda: at
    )


def offer(ddb: Any, table: str, **changes: Any) -> str:
    made = an_offer(BUSINESS, **changes)
    DynamoOfferStore(ddb, table).add(made)
    return made.offer_id


def test_the_passes_due_are_reminded_once_and_only_they(ddb: Any, table_name: str) -> None:
    offer_id = offer(ddb, table_name)
    due = [put(ddb, table_name, offer_id, idle) for idle in (83.5, 95, 112.9)]  # August 2026
    not_yet = put(ddb, table_name, offer_id, 80)  # September: due in a later week
    earlier_week = put(ddb, table_name, offer_id, 115)  # July: reminded by an earlier week's run
    before = {address: pass_(ddb, table_name, address) for address in [*due, not_yet, earlier_week]}

    first = run(ddb, table_name)

    assert first.finished and first.reminded == 3
    for address in due:
        after = pass_(ddb, table_name, address)
        assert after.reminder_shown and after.reminded_for == before[address].last_activity_at
        assert after.last_activity_at == before[address].last_activity_at  # a reminder is not a visit
        assert after.version == before[address].version + 1
        assert "chg" not in get_pass(ddb, table_name, *address)  # no event of the pass
    assert pass_(ddb, table_name, not_yet) == before[not_yet]
    assert pass_(ddb, table_name, earlier_week) == before[earlier_week]
    # Only the month due was read (the index keys the month, decision 0021): its three entries, all reminded.
    assert (first.index_items_read, first.not_due) == (3, 0)
    assert run(ddb, table_name, NOW + timedelta(days=7)).index_items_read == 0, "next week no month is due"
    assert run(ddb, table_name).reminded == 0, "a second run (a retry) reminds nobody again"


def test_what_the_holder_reads_is_the_day_and_their_stamps_in_their_language(
    ddb: Any, table_name: str
) -> None:
    offer_id = offer(ddb, table_name)
    address = put(ddb, table_name, offer_id, 95, stamps=3)
    run(ddb, table_name)
    reminded = pass_(ddb, table_name, address)
    day = (NOW - timedelta(days=95) + timedelta(days=DAYS)).date().isoformat()

    assert notice_for(reminded, DAYS, "en") == f"Your card expires on {day} — visit to keep your 3 stamps"
    assert "تنتهي بطاقتك في" in str(notice_for(reminded, DAYS, "ar"))


def test_a_visit_since_the_index_was_read_starts_a_new_quiet_period(ddb: Any, table_name: str) -> None:
    offer_id = offer(ddb, table_name)
    address = put(ddb, table_name, offer_id, 95)
    run(ddb, table_name)
    assert pass_(ddb, table_name, address).reminder_shown

    record_scan(ddb, table_name, *address, NOW + timedelta(hours=1))

    visited = pass_(ddb, table_name, address)
    assert not visited.reminder_shown, "the visit ends the reminder's quiet period"
    # The Sunday whose run makes November 2026 due: the new quiet period is reminded (once).
    later = next(
        NOW + timedelta(days=7 * n)
        for n in range(1, 30)
        if ReminderWeek(NOW + timedelta(days=7 * n), DAYS, 2).months == ["2026-11"]
    )
    assert run(ddb, table_name, later - timedelta(days=7)).reminded == 0
    assert run(ddb, table_name, later).reminded == 1
    assert pass_(ddb, table_name, address).reminder_shown


def test_an_offer_that_turned_reminders_off_or_asks_for_more_days(ddb: Any, table_name: str) -> None:
    store = DynamoOfferStore(ddb, table_name)
    off = offer(ddb, table_name)
    store.edit(off, BUSINESS, OfferChanges({"expiryReminderDays": 0}), at="2026-11-01T00:00:00.000Z")
    early = offer(ddb, table_name)
    store.edit(early, BUSINESS, OfferChanges({"expiryReminderDays": 30}), at="2026-11-01T00:00:00.000Z")
    silent = put(ddb, table_name, off, 95)
    two_weeks_ahead = put(ddb, table_name, early, 95)  # August: read at NOW for the default's two weeks

    result = run(ddb, table_name)

    assert not pass_(ddb, table_name, silent).reminder_shown
    assert not pass_(ddb, table_name, two_weeks_ahead).reminder_shown  # its month is read five weeks ahead
    assert result.other_setting >= 2
    # Five weeks ahead (30 days): the run whose fifth week's expiry first takes September reminds September.
    five_weeks_ahead = put(ddb, table_name, early, 70)  # 13 September 2026
    at = next(
        NOW + timedelta(days=7 * n)
        for n in range(0, 30)
        if ReminderWeek(NOW + timedelta(days=7 * n), DAYS, 5).months == ["2026-09"]
    )
    assert run(ddb, table_name, at).reminded >= 1
    assert pass_(ddb, table_name, five_weeks_ahead).reminder_shown


def test_an_expired_pass_is_never_reminded(ddb: Any, table_name: str) -> None:
    offer_id = offer(ddb, table_name)
    address = put(ddb, table_name, offer_id, 95)
    ddb.update_item(
        TableName=table_name,
        Key={"PK": {"S": f"PASS#{address[0]}#{address[1]}"}, "SK": {"S": "PASS"}},
        UpdateExpression="SET #s = :expired",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":expired": {"S": "EXPIRED"}},
    )
    assert run(ddb, table_name).reminded == 0
    assert pass_(ddb, table_name, address).reminded_for is None
