"""The expiry reminder's rule, the wallets' notification of it, and the offer's setting."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty.adapters.google.objects import loyalty_object_patch
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.offers import parse_offer_edit
from loyalty.domain.passes import PassStatus, award_stamp, remind_expiry
from loyalty.domain.reminders import ReminderWeek, notice_for, reminder_weeks
from tests.support.apple_passes import a_pass, an_issuer, an_offer
from tests.support.fakes import ApplePushes, GoogleObjects, Offers
from tests.support.google_service_account import StreamRecords, sample_offer, sample_pass

SUNDAY = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("days", [1, 3, 7, 10, 14, 30, 60])
@pytest.mark.parametrize("inactivity", [30, 90, 180])
def test_every_pass_of_the_week_read_is_due_at_least_n_days_before_its_limit_minus_the_run_hour(
    days: int, inactivity: int
) -> None:
    week = ReminderWeek(SUNDAY, inactivity, reminder_weeks(days))
    first, end = parse_iso(week.first_activity), parse_iso(week.after_last_activity)
    assert end - first == timedelta(days=7)
    # The limits of the week's passes lie between this run and the next's limit-week: never later than N + 13 days.
    earliest_limit = first + timedelta(days=inactivity)
    assert earliest_limit - SUNDAY >= timedelta(days=7 * reminder_weeks(days) - 7)
    assert earliest_limit - SUNDAY < timedelta(days=7 * reminder_weeks(days) + 1)


def test_successive_weekly_runs_read_successive_weeks_so_each_pass_is_read_once() -> None:
    weeks = [ReminderWeek(SUNDAY + timedelta(days=7 * n), 90, 2) for n in range(6)]
    for this, following in itertools.pairwise(weeks):
        assert this.after_last_activity == following.first_activity


def test_zero_is_off() -> None:
    assert reminder_weeks(0) == 0


def test_the_reminder_stands_until_the_next_visit() -> None:
    pass_ = a_pass(an_offer(), stamps=3)
    reminded = remind_expiry(pass_, to_iso(SUNDAY))
    assert reminded.reminder_shown and reminded.last_activity_at == pass_.last_activity_at
    visited = award_stamp(reminded, to_iso(SUNDAY + timedelta(days=1)))
    assert not visited.reminder_shown
    assert not replace(reminded, status=PassStatus.EXPIRED).reminder_shown


def test_the_reminder_notifies_both_wallets() -> None:
    offer = sample_offer()
    apple, google, records = ApplePushes(), GoogleObjects(), StreamRecords()
    quiet = sample_pass(offer, current_stamps=3)
    reminded = remind_expiry(quiet, "2026-11-22T02:00:00.000Z")
    wallets = Wallets(offers=Offers({offer.offer_id: offer}), apple=apple, google=google)

    assert sync_batch([records.pass_changed(quiet, reminded)], wallets) == []

    assert [notify for _, _, notify in google.updates] == [True]
    assert apple.sent == [(quiet.customer_id, offer.offer_id)]


def test_the_apple_notice_changes_with_a_change_message_in_both_languages() -> None:
    offer = an_offer()
    pass_ = a_pass(offer, stamps=3, last_activity_at="2026-09-08T10:00:00.000Z")
    reminded = remind_expiry(pass_, to_iso(SUNDAY))

    def notice(shown: object) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        face = pass_face(shown, offer, offer.ladder.standing(7), 90)  # type: ignore[arg-type]
        document = pass_document(face, an_issuer("pass.test", "TEAM123456"))
        (field,) = [f for f in document.pass_json["storeCard"]["backFields"] if f["key"] == "notice"]
        return field, document.strings

    quiet, _ = notice(pass_)
    field, strings = notice(reminded)
    assert quiet["value"] != field["value"]
    assert field["changeMessage"] == "%@"
    assert field["value"] == "Your card expires on 2026-12-07 — visit to keep your 3 stamps"
    assert strings["ar"][field["value"]].startswith("تنتهي بطاقتك في ٢٠٢٦-١٢-٠٧")


def test_the_google_object_shows_the_reminder_in_the_holder_language() -> None:
    offer = sample_offer()
    pass_ = remind_expiry(
        replace(sample_pass(offer, current_stamps=1), preferred_language="ar"), to_iso(SUNDAY)
    )
    patch = loyalty_object_patch(
        pass_, offer.ladder.standing(0), notify=True, notice=notice_for(pass_, 90, pass_.preferred_language)
    )
    (module,) = [m for m in patch["textModulesData"] if m["id"] == "notice"]
    assert module["body"].startswith("تنتهي بطاقتك في")


@pytest.mark.parametrize("days", [-1, 61, 1.5, True, "14", None])
def test_the_setting_is_a_whole_number_of_days_from_0_to_60(days: object) -> None:
    with pytest.raises(ValidationFailed) as refused:
        parse_offer_edit({"expiryReminderDays": days})
    assert [d.field for d in refused.value.details] == ["expiryReminderDays"]


def test_the_setting_edits() -> None:
    assert parse_offer_edit({"expiryReminderDays": 0}).changes == {"expiryReminderDays": 0}
    assert parse_offer_edit({"expiryReminderDays": 60}).changes == {"expiryReminderDays": 60}
