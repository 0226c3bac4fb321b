"""A pass's own Google notice held on the campaign queue reads back as written; anything else is refused (and
dropped by the worker, never retried)."""

from __future__ import annotations

import json

import pytest

from loyalty.app.campaigns.fanout import MalformedCampaignMessage, NoticeLater, parse_message

OFFER = "off_aaaaaaaaaaaaaaaaaaaaaaaaaa"
CUSTOMER = "cus_bbbbbbbbbbbbbbbbbbbbbbbbbb"


@pytest.mark.parametrize("kind", ["tier", "expired", "reminder"])
def test_a_held_notice_reads_back_as_written(kind: str) -> None:
    notice = NoticeLater(OFFER, CUSTOMER, kind)
    assert parse_message(json.dumps(notice.as_dict())) == notice


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "notice-later", "offerId": OFFER, "customerId": CUSTOMER, "notice": "campaign"},
        {"kind": "notice-later", "offerId": OFFER, "customerId": "cus_1", "notice": "tier"},
        {"kind": "notice-later", "offerId": "off_1", "customerId": CUSTOMER, "notice": "tier"},
        {"kind": "notice-later", "offerId": OFFER, "notice": "reminder"},
    ],
)
def test_anything_else_is_refused(body: dict[str, str]) -> None:
    with pytest.raises(MalformedCampaignMessage):
        parse_message(json.dumps(body))
