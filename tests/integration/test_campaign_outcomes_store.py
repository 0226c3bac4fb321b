"""A campaign's `fetched` and `wonBack` against DynamoDB Local: a fetch counts only after a push that came once the
campaign reached the pass, at most once per registered device; a win counts once per recipient."""

from __future__ import annotations

from typing import Any

import pytest

from loyalty.adapters.dynamodb.campaign_outcomes import CampaignOutcomeStore
from loyalty.adapters.dynamodb.campaigns import campaign_key
from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore, devices_changed
from loyalty.app.ports.wallets import PassAddress

pytestmark = pytest.mark.integration

OFFER = "off_aaaaaaaaaaaaaaaaaaaaaaaaaa"
CAMPAIGN = "cmp_bbbbbbbbbbbbbbbbbbbbbbbbbb"
LATER = "cmp_cccccccccccccccccccccccccc"
ADDRESS = PassAddress("cus_dddddddddddddddddddddddddd", OFFER)
REACHED = "2026-12-07T10:00:00.000Z"


def counts(ddb: Any, table_name: str, campaign_id: str = CAMPAIGN) -> dict[str, int]:
    item = ddb.get_item(TableName=table_name, Key=to_item(campaign_key(OFFER, campaign_id)))["Item"]
    return {name: int(item[name]["N"]) for name in ("fetched", "wonBack") if name in item}


@pytest.fixture
def store(ddb: Any, table_name: str) -> CampaignOutcomeStore:
    for campaign_id in (CAMPAIGN, LATER):
        ddb.put_item(TableName=table_name, Item=to_item(campaign_key(OFFER, campaign_id)))
    return CampaignOutcomeStore(ddb, table_name)


def devices(ddb: Any, table_name: str, n: int) -> None:
    for _ in range(n):
        ddb.transact_write_items(TransactItems=[devices_changed(table_name, ADDRESS, 1)])


def test_each_registered_device_counts_once_after_the_campaigns_push(
    ddb: Any, table_name: str, store: CampaignOutcomeStore
) -> None:
    devices(ddb, table_name, 2)
    delivery = WalletDeliveryStore(ddb, table_name)
    # Pushed before the campaign reached the pass: a fetch now shows an older pass, not the campaign.
    delivery.push_started(ADDRESS, "2026-12-07T09:59:59.000Z")
    assert store.fetched(ADDRESS, CAMPAIGN, REACHED) is False

    delivery.push_started(ADDRESS, "2026-12-07T10:00:01.000Z")
    assert [store.fetched(ADDRESS, CAMPAIGN, REACHED) for _ in range(3)] == [True, True, False]
    assert counts(ddb, table_name) == {"fetched": 2}

    # The next campaign starts its own count.
    delivery.push_started(ADDRESS, "2026-12-08T10:00:01.000Z")
    assert store.fetched(ADDRESS, LATER, "2026-12-08T10:00:00.000Z") is True
    assert counts(ddb, table_name, LATER) == {"fetched": 1}
    assert counts(ddb, table_name) == {"fetched": 2}


def test_a_pass_on_no_device_counts_no_fetch(ddb: Any, table_name: str, store: CampaignOutcomeStore) -> None:
    WalletDeliveryStore(ddb, table_name).push_started(ADDRESS, "2026-12-07T10:00:01.000Z")
    assert store.fetched(ADDRESS, CAMPAIGN, REACHED) is False
    assert counts(ddb, table_name) == {}


def test_a_recipient_is_won_back_once(ddb: Any, table_name: str, store: CampaignOutcomeStore) -> None:
    assert store.won_back(ADDRESS, CAMPAIGN, "2026-12-09T10:00:00.000Z") is True
    assert store.won_back(ADDRESS, CAMPAIGN, "2026-12-09T10:00:00.000Z") is False
    assert counts(ddb, table_name) == {"wonBack": 1}
