"""The expiry reminder end to end: a quiet customer's pass, the operator's weekly run as of a later day, and the
pass the customer's phone then downloads says when it expires and how to keep it; a second run sends nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests

from loyalty.domain.clock import parse_iso, to_iso
from tests.e2e.test_expiry import LocalRun, local_run, owner  # noqa: F401  (this module's own stack)
from tests.support.counter import Counter, enroll
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e


def notice(joined: dict[str, object]) -> str:
    content = requests.get(str(joined["appleWalletUrl"]), timeout=30).content
    document = json.loads(pkpass_files(content)["pass.json"])
    (field,) = [f for f in document["storeCard"]["backFields"] if f["key"] == "notice"]
    return str(field["value"])


def test_a_quiet_pass_is_reminded_once_before_it_expires(local_run: LocalRun, owner: Counter) -> None:  # noqa: F811
    offer_id = owner.create_offer(stamps_required=5, name="Reminder Card")
    joined = enroll(local_run.base_url, offer_id).json()
    member_since = owner.status(joined["customerId"], offer_id).json()["lastActivityAt"]
    assert notice(joined["wallet"]).startswith("Your card is active")

    # 76 days without a visit, on a run of the weekly job: its week is the one 14 to 21 days from the limit.
    as_of = parse_iso(member_since) + timedelta(days=76)
    summary = local_run.expire_passes("--as-of", to_iso(as_of))

    assert summary["expired"] == 0
    # This pass, and any other of the stack active in its week (the seeded demo's).
    assert summary["reminders"]["reminded"] >= 1, summary
    day = (parse_iso(member_since) + timedelta(days=90)).date().isoformat()
    assert notice(joined["wallet"]) == f"Your card expires on {day} — visit to keep your 0 stamps"
    assert local_run.expire_passes("--as-of", to_iso(as_of))["reminders"]["reminded"] == 0
