"""DynamoOfferStore against DynamoDB Local, on a table made from template.yaml."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.keys import offer_key
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.domain.errors import InvalidCursor
from loyalty.domain.offers import Offer, OfferNotFound
from loyalty.domain.tiers import TierConfig, parse_tier_config
from loyalty.entrypoints.http.render import status_of

pytestmark = pytest.mark.integration

BUSINESS = "biz_" + "a" * 26
OTHER_BUSINESS = "biz_" + "b" * 26
COFFEE_SHOP = parse_tier_config(
    {
        "enabled": True,
        "tiers": [
            {"id": "coffee-lover", "name": "Coffee Lover", "nameAr": "محب القهوة", "minRewards": 1,
             "maxRewards": 3, "icon": "☕", "color": "#8B4513"},
            {"id": "coffee-expert", "name": "Coffee Expert", "nameAr": "خبير القهوة", "minRewards": 4,
             "maxRewards": 9, "icon": "🏆", "color": "#C0C0C0"},
            {"id": "coffee-master", "name": "Coffee Master", "nameAr": "سيد القهوة", "minRewards": 10,
             "maxRewards": None, "icon": "👑"},
        ],
    }
)  # fmt: skip


def offer(number: int, business: str = BUSINESS, **changes: Any) -> Offer:
    base = Offer(
        offer_id=f"off_{number:026d}",
        business_id=business,
        name=f"Offer {number}",
        name_ar=None,
        stamps_required=5,
        reward_description=None,
        reward_description_ar=None,
        loyalty_tiers=None,
        created_at=f"2026-11-23T12:00:{number:02d}.000Z",
        updated_at=f"2026-11-23T12:00:{number:02d}.000Z",
    )
    return Offer(**{**base.__dict__, **changes})


@pytest.fixture
def store(ddb: Any, table_name: str) -> DynamoOfferStore:
    return DynamoOfferStore(ddb, table_name)


def raw_item(ddb: Any, table_name: str, offer_id: str) -> dict[str, Any] | None:
    item: dict[str, Any] | None = ddb.get_item(
        TableName=table_name, Key={k: {"S": v} for k, v in offer_key(offer_id).items()}
    ).get("Item")
    return item


def test_an_offer_round_trips(store: DynamoOfferStore) -> None:
    full = offer(
        1,
        name_ar="قهوة مجانية",
        reward_description="A free flat white",
        reward_description_ar="فلات وايت مجاني",
        loyalty_tiers=COFFEE_SHOP,
        stamps_required=50,
    )
    bare = offer(2)
    store.add(full)
    store.add(bare)
    assert store.get(full.offer_id) == full
    assert store.get(bare.offer_id) == bare


def test_item_layout(store: DynamoOfferStore, ddb: Any, table_name: str) -> None:
    store.add(offer(3, loyalty_tiers=COFFEE_SHOP))
    item = raw_item(ddb, table_name, offer(3).offer_id)
    assert item is not None
    assert item["entity"] == {"S": "OFFER"}
    assert item["GSI2PK"] == {"S": f"BIZ#{BUSINESS}"}
    assert item["GSI2SK"] == {"S": f"OFFER#2026-11-23T12:00:03.000Z#{offer(3).offer_id}"}
    assert item["stampsRequired"] == {"N": "5"}
    assert "nameAr" not in item
    top = item["loyaltyTiers"]["M"]["tiers"]["L"][2]["M"]
    assert top["maxRewards"] == {"NULL": True}
    assert "color" not in top


def test_unknown_offer_is_none(store: DynamoOfferStore) -> None:
    assert store.get("off_" + "9" * 26) is None


def test_an_id_is_never_stored_twice(store: DynamoOfferStore) -> None:
    store.add(offer(4))
    with pytest.raises(ClientError) as caught:
        store.add(offer(4, name="Impostor"))
    assert caught.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    stored = store.get(offer(4).offer_id)
    assert stored is not None
    assert stored.name == "Offer 4"


def test_listing_is_per_business_newest_first(store: DynamoOfferStore) -> None:
    for number in (5, 6, 7):
        store.add(offer(number))
    store.add(offer(8, business=OTHER_BUSINESS))
    page = store.list_for_business(BUSINESS, limit=10)
    assert [o.offer_id for o in page.offers] == [offer(n).offer_id for n in (7, 6, 5)]
    assert page.next_cursor is None
    assert [o.offer_id for o in store.list_for_business(OTHER_BUSINESS, limit=10).offers] == [
        offer(8).offer_id
    ]


def test_listing_pages(store: DynamoOfferStore) -> None:
    for number in range(10, 15):
        store.add(offer(number))
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        page = store.list_for_business(BUSINESS, limit=2, cursor=cursor)
        seen.extend(o.offer_id for o in page.offers)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [offer(n).offer_id for n in range(14, 9, -1)]


def _cursor(position: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not base64 at all!",
        _cursor(["sk", "offerId"]),
        _cursor({"sk": "OFFER#x#off_" + "1" * 26}),
        _cursor({"sk": "PASS#x", "offerId": "off_" + "1" * 26}),
        _cursor({"sk": "OFFER#x#off_" + "2" * 26, "offerId": "off_" + "1" * 26}),
        _cursor({"sk": 5, "offerId": "cus_" + "1" * 26}),
        # well formed, but no offer of this business sits at that position
        _cursor({"sk": "OFFER#2026-11-23T12:00:00.000Z#off_" + "1" * 26, "offerId": "off_" + "1" * 26}),
    ],
)
def test_a_forged_cursor_is_refused_as_invalid(store: DynamoOfferStore, cursor: str) -> None:
    with pytest.raises(InvalidCursor) as caught:
        store.list_for_business(BUSINESS, limit=2, cursor=cursor)
    assert status_of(caught.value) == 400
    assert caught.value.code == "INVALID_CURSOR"
    assert [d.field for d in caught.value.details] == ["cursor"]


def test_a_cursor_edited_to_another_position_of_a_real_offer_is_refused(store: DynamoOfferStore) -> None:
    for number in (15, 16, 17):
        store.add(offer(number))
    handed_out = store.list_for_business(BUSINESS, limit=1).next_cursor
    assert handed_out is not None
    position = json.loads(base64.urlsafe_b64decode(handed_out + "=" * (-len(handed_out) % 4)))
    assert position["offerId"] == offer(17).offer_id
    # the real offer's id, but a made-up time: not a position this listing ever wrote
    moved = {**position, "sk": f"OFFER#2030-01-01T00:00:00.000Z#{position['offerId']}"}
    with pytest.raises(InvalidCursor):
        store.list_for_business(BUSINESS, limit=1, cursor=_cursor(moved))
    # the handed-out one still pages on
    assert [o.offer_id for o in store.list_for_business(BUSINESS, limit=1, cursor=handed_out).offers] == [
        offer(16).offer_id
    ]


def test_another_business_cursor_is_refused(store: DynamoOfferStore) -> None:
    for number in (20, 21, 22):
        store.add(offer(number, business=OTHER_BUSINESS))
    store.add(offer(23))
    theirs = store.list_for_business(OTHER_BUSINESS, limit=1)
    assert theirs.next_cursor is not None
    with pytest.raises(InvalidCursor):
        store.list_for_business(BUSINESS, limit=10, cursor=theirs.next_cursor)


def test_set_and_remove_tiers(store: DynamoOfferStore, ddb: Any, table_name: str) -> None:
    store.add(offer(30))
    changed = store.set_tiers(offer(30).offer_id, BUSINESS, COFFEE_SHOP, at="2026-11-24T00:00:00.000Z")
    assert changed.loyalty_tiers == COFFEE_SHOP
    assert store.get(offer(30).offer_id) == changed
    item = raw_item(ddb, table_name, offer(30).offer_id)
    assert item is not None
    assert item["updatedAt"] == {"S": "2026-11-24T00:00:00.000Z"}

    disabled = TierConfig(enabled=False, tiers=COFFEE_SHOP.tiers)
    assert (
        store.set_tiers(offer(30).offer_id, BUSINESS, disabled, at="2026-11-24T00:00:01.000Z").loyalty_tiers
        == disabled
    )

    reset = store.set_tiers(offer(30).offer_id, BUSINESS, None, at="2026-11-24T00:00:02.000Z")
    assert reset.loyalty_tiers is None
    item = raw_item(ddb, table_name, offer(30).offer_id)
    assert item is not None
    assert "loyaltyTiers" not in item


def test_another_business_cannot_change_tiers(store: DynamoOfferStore) -> None:
    store.add(offer(31, loyalty_tiers=COFFEE_SHOP))
    for config in (None, TierConfig(enabled=False, tiers=())):
        with pytest.raises(OfferNotFound):
            store.set_tiers(offer(31).offer_id, OTHER_BUSINESS, config, at="2026-11-24T00:00:00.000Z")
    assert store.get(offer(31).offer_id) == offer(31, loyalty_tiers=COFFEE_SHOP)


def test_changing_tiers_of_a_missing_offer_creates_nothing(
    store: DynamoOfferStore, ddb: Any, table_name: str
) -> None:
    missing = "off_" + "8" * 26
    with pytest.raises(OfferNotFound):
        store.set_tiers(missing, BUSINESS, COFFEE_SHOP, at="2026-11-24T00:00:00.000Z")
    assert raw_item(ddb, table_name, missing) is None
