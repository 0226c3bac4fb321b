"""The expiry reminder's rule, the wallets' notification of it, and the offer's setting."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty.adapters.google.objects import loyalty_object_patch
from loyalty.app.wallets.sync import Wallets, sync_batch
from loyalty.domain.clock import to_iso
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.expiry import ExpiryCutoff
from loyalty.domain.offers import parse_offer_edit
from loyalty.domain.passes import PassStatus, award_stamp, remind_expiry
from loyalty.domain.reminders import ReminderWeek, notice_for, reminder_weeks
from tests.support.apple_passes import a_pass, an_issuer, an_offer
from tests.support.fakes import ApplePushes, GoogleObjects, Offers
from tests.support.google_service_account import StreamRecords, sample_offer, sample_pass

SUNDAY = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("days", [1, 3, 7, 10, 14, 30, 60])
@pytest.mark.parametrize("inactivity", [30, 90, 180])
def test_a_pass_is_reminded_by_the_run_exactly_the_setting_s_weeks_before_the_run_that_expires_it(
    days: int, inactivity: int
) -> None:
    weeks = reminder_weeks(days)
    for n in range(60):
        run_at = SUNDAY + timedelta(days=7 * n)
        due = ReminderWeek(run_at, inactivity, weeks)
        expiring = ExpiryCutoff(run_at + timedelta(days=7 * weeks), inactivity, whole_months=True)
        week_before = ExpiryCutoff(run_at + timedelta(days=7 * weeks - 7), inactivity, whole_months=True)
        # The months read are exactly those the later expiry run takes and the one a week before does not.
        taken = [m for m in _months_around(run_at, inactivity) if f"{m}-15" < expiring.bound]
        kept_a_week_before = [m for m in taken if f"{m}-15" >= week_before.bound]
        assert due.months == kept_a_week_before
        assert len(due.months) <= 1
        assert 7 * weeks >= days


def _months_around(at: datetime, inactivity: int) -> list[str]:
    start = at - timedelta(days=inactivity + 120)
    return sorted({(start + timedelta(days=d)).strftime("%Y-%m") for d in range(0, 600, 5)})


def test_successive_weekly_runs_read_successive_months_so_each_pass_is_read_once() -> None:
    runs = [ReminderWeek(SUNDAY + timedelta(days=7 * n), 90, 2) for n in range(30)]
    for this, following in itertools.pairwise(runs):
        assert this.after_last_activity == following.first_activity
    read = [month for run in runs for month in run.months]
    assert read == sorted(set(read)) and len(read) >= 6
    assert sum(1 for run in runs if not run.months) >= 20, "most weeks no month is due: nothing is read"


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


def test_an_operators_exact_run_reads_the_week_due_by_the_exact_rule() -> None:
    exact = ReminderWeek(SUNDAY, 90, 2, whole_months=False)
    assert (exact.first_activity, exact.after_last_activity) == (
        "2026-09-07T00:00:00.000Z",
        "2026-09-14T00:00:00.000Z",
    )
    assert exact.months == ["2026-09"]
