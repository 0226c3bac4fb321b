"""Offers and tier configuration through the local gateway, as the business dashboard uses them."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from typing import Any

import pytest
import requests

from tests.support.counter import Counter
from tests.support.ladders import COFFEE_SHOP

pytestmark = pytest.mark.e2e

COFFEE_SHOP_TIERS = COFFEE_SHOP
DEFAULT_TIER_IDS = ["bronze", "silver", "gold"]


class Dashboard(Counter):
    """One signed-in user of one business, talking to the API."""

    def create_offer(self, **fields: Any) -> dict[str, Any]:  # type: ignore[override]
        body = {"name": "Free coffee", "stampsRequired": 5, **fields}
        response = self.call("POST", "/api/offers", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
def owner(gateway: str, token, business_id: str) -> Dashboard:
    return Dashboard(gateway, token(role="owner", business_id=business_id))


@pytest.fixture
def manager(gateway: str, token, business_id: str) -> Dashboard:
    return Dashboard(gateway, token(role="manager", business_id=business_id, branch_id="branch-1"))


@pytest.fixture
def rival(gateway: str, token) -> Dashboard:
    return Dashboard(gateway, token(role="owner", business_id="biz_" + uuid.uuid4().hex[:20]))


def _error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body["error"]


def _fields(error: dict[str, Any]) -> set[str]:
    return {detail["field"] for detail in error["details"]}


# ---------------------------------------------------------------- offers


def test_owner_creates_an_offer_with_default_tiers(owner: Dashboard, business_id: str) -> None:
    offer = owner.create_offer(
        name="Free coffee",
        nameAr="قهوة مجانية",
        stampsRequired=8,
        rewardDescription="A free flat white",
        rewardDescriptionAr="فلات وايت مجاني",
    )
    assert offer["offerId"].startswith("off_")
    assert offer["businessId"] == business_id
    assert offer["name"] == "Free coffee"
    assert offer["nameAr"] == "قهوة مجانية"
    assert offer["stampsRequired"] == 8
    assert offer["rewardDescription"] == "A free flat white"
    assert offer["rewardDescriptionAr"] == "فلات وايت مجاني"
    assert offer["loyaltyTiers"] is None
    assert [tier["id"] for tier in offer["effectiveTiers"]] == DEFAULT_TIER_IDS
    assert offer["createdAt"].endswith("Z")


def test_an_offer_created_with_custom_tiers_answers_them_as_effective(owner: Dashboard) -> None:
    offer = owner.create_offer(loyaltyTiers=COFFEE_SHOP_TIERS)
    assert offer["loyaltyTiers"] == COFFEE_SHOP_TIERS
    assert offer["effectiveTiers"] == COFFEE_SHOP_TIERS["tiers"]


def test_created_offer_reads_back_the_same(owner: Dashboard, manager: Dashboard) -> None:
    created = owner.create_offer(name="Tenth bagel free", stampsRequired=10, loyaltyTiers=COFFEE_SHOP_TIERS)
    for reader in (owner, manager):
        response = reader.call("GET", f"/api/offers/{created['offerId']}")
        assert response.status_code == 200
        assert response.json() == created


def test_listing_shows_only_the_business_offers_newest_first(
    owner: Dashboard, manager: Dashboard, rival: Dashboard
) -> None:
    first = owner.create_offer(name="First")
    second = owner.create_offer(name="Second")
    rival.create_offer(name="Someone else's")
    for reader in (owner, manager):
        response = reader.call("GET", "/api/offers")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"items", "nextCursor"}  # the contract's list shape: no "offers"
        assert [offer["offerId"] for offer in body["items"]] == [second["offerId"], first["offerId"]]
        assert body["items"][0] == second
        assert body["nextCursor"] is None


def test_listing_pages_through_every_offer_once(owner: Dashboard) -> None:
    created = [owner.create_offer(name=f"Offer {n}")["offerId"] for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = owner.call("GET", "/api/offers", params=params).json()
        seen.extend(offer["offerId"] for offer in body["items"])
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert seen == list(reversed(created))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_listing_refuses_a_limit_outside_1_to_100(
    owner: Dashboard, params: dict[str, Any], field: str
) -> None:
    error = _error(owner.call("GET", "/api/offers", params=params), 422, "VALIDATION_ERROR")
    assert field in _fields(error)


@pytest.mark.parametrize("limit", [1, 100])
def test_listing_takes_a_limit_of_1_to_100(owner: Dashboard, limit: int) -> None:
    owner.create_offer(name="One")
    owner.create_offer(name="Two")
    body = owner.call("GET", "/api/offers", params={"limit": limit}).json()
    assert len(body["items"]) == min(limit, 2)
    assert (body["nextCursor"] is not None) == (limit == 1)


def _invalid_cursor(response: requests.Response) -> None:
    """400 with the contract's error body, naming the cursor."""
    error = _error(response, 400, "INVALID_CURSOR")
    assert set(response.json()) == {"success", "error"}
    assert isinstance(error["message"], str) and error["message"]
    assert [detail["field"] for detail in error["details"]] == ["cursor"]


def _b64(position: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")


NO_SUCH_OFFER = "off_" + "1" * 26


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "bm9wZQ",  # base64 of "nope"
        # well formed, naming an offer that is not there
        _b64({"sk": f"OFFER#2026-01-01T00:00:00.000Z#{NO_SUCH_OFFER}", "offerId": NO_SUCH_OFFER}),
    ],
)
def test_a_forged_cursor_is_400_invalid_cursor(owner: Dashboard, cursor: str) -> None:
    _invalid_cursor(owner.call("GET", "/api/offers", params={"cursor": cursor}))


def test_an_edited_or_borrowed_cursor_is_400(owner: Dashboard, rival: Dashboard) -> None:
    for n in range(3):
        owner.create_offer(name=f"Offer {n}")
        rival.create_offer(name=f"Theirs {n}")
    cursor = owner.call("GET", "/api/offers", params={"limit": 1}).json()["nextCursor"]
    theirs = rival.call("GET", "/api/offers", params={"limit": 1}).json()["nextCursor"]
    assert cursor and theirs
    middle = len(cursor) // 2
    edited = cursor[:middle] + ("A" if cursor[middle] != "A" else "B") + cursor[middle + 1 :]
    for forged in (edited, cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"), theirs):
        _invalid_cursor(owner.call("GET", "/api/offers", params={"cursor": forged}))
    assert owner.call("GET", "/api/offers", params={"cursor": cursor}).status_code == 200


def test_manager_cannot_create_an_offer(manager: Dashboard) -> None:
    _error(manager.call("POST", "/api/offers", json={"name": "x", "stampsRequired": 5}), 403, "FORBIDDEN")


def test_another_business_cannot_see_an_offer(owner: Dashboard, rival: Dashboard) -> None:
    offer = owner.create_offer()
    unknown = "off_" + "a" * 26
    for path in (f"/api/offers/{offer['offerId']}", f"/api/offers/{offer['offerId']}/loyalty-tiers"):
        theirs = _error(rival.call("GET", path), 404, "OFFER_NOT_FOUND")
        missing = _error(rival.call("GET", path.replace(offer["offerId"], unknown)), 404, "OFFER_NOT_FOUND")
        assert theirs == missing


@pytest.mark.parametrize("offer_id", ["off_" + "b" * 26, "not-an-id", "biz_" + "c" * 26])
def test_unknown_offer_is_404(owner: Dashboard, offer_id: str) -> None:
    _error(owner.call("GET", f"/api/offers/{offer_id}"), 404, "OFFER_NOT_FOUND")
    _error(owner.call("GET", f"/api/offers/{offer_id}/loyalty-tiers"), 404, "OFFER_NOT_FOUND")
    _error(
        owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_SHOP_TIERS),
        404,
        "OFFER_NOT_FOUND",
    )
    _error(owner.call("DELETE", f"/api/offers/{offer_id}/loyalty-tiers"), 404, "OFFER_NOT_FOUND")


def test_create_offer_malformed_json_is_400(owner: Dashboard) -> None:
    response = owner.call(
        "POST", "/api/offers", data='{"name": "Free coffee", ', headers={"Content-Type": "application/json"}
    )
    _error(response, 400, "MALFORMED_JSON")


def test_create_offer_wrong_types_are_all_reported(owner: Dashboard) -> None:
    response = owner.call(
        "POST",
        "/api/offers",
        json={
            "name": 42,
            "nameAr": ["x"],
            "stampsRequired": True,
            "rewardDescription": {"en": "coffee"},
            "loyaltyTiers": {"enabled": "yes", "tiers": [{"id": "gold", "minRewards": "1"}]},
        },
    )
    error = _error(response, 422, "VALIDATION_ERROR")
    assert {
        "name",
        "nameAr",
        "stampsRequired",
        "rewardDescription",
        "loyaltyTiers.enabled",
        "loyaltyTiers.tiers[0].minRewards",
        "loyaltyTiers.tiers[0].name",
    } <= _fields(error)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"stampsRequired": 0}, "stampsRequired"),
        ({"stampsRequired": 51}, "stampsRequired"),
        ({"stampsRequired": 5.5}, "stampsRequired"),
    ],
)
def test_create_offer_rejects_out_of_range_values(
    owner: Dashboard, fields: dict[str, Any], field: str
) -> None:
    body = {"name": "Free coffee", "stampsRequired": 5, **fields}
    error = _error(owner.call("POST", "/api/offers", json=body), 422, "VALIDATION_ERROR")
    assert _fields(error) == {field}


def test_create_offer_body_must_be_an_object(owner: Dashboard) -> None:
    _error(owner.call("POST", "/api/offers", json=["Free coffee", 5]), 422, "VALIDATION_ERROR")


# ---------------------------------------------------------------- tiers


def test_tiers_default_until_configured(owner: Dashboard, manager: Dashboard) -> None:
    offer = owner.create_offer()
    for reader in (owner, manager):
        response = reader.call("GET", f"/api/offers/{offer['offerId']}/loyalty-tiers")
        assert response.status_code == 200
        body = response.json()
        assert body["source"] == "default"
        assert body["enabled"] is False
        assert [tier["id"] for tier in body["tiers"]] == DEFAULT_TIER_IDS
        assert [(t["minRewards"], t["maxRewards"]) for t in body["tiers"]] == [(1, 2), (3, 5), (6, None)]
        assert all(tier["nameAr"] for tier in body["tiers"])


def test_coffee_shop_tiers_are_accepted_and_round_trip_exactly(owner: Dashboard) -> None:
    offer = owner.create_offer()
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    response = owner.call("PUT", path, json=COFFEE_SHOP_TIERS)
    assert response.status_code == 200, response.text
    expected = {**COFFEE_SHOP_TIERS, "source": "custom"}
    assert response.json() == expected
    assert owner.call("GET", path).json() == expected
    read = owner.call("GET", f"/api/offers/{offer['offerId']}").json()
    assert read["loyaltyTiers"] == COFFEE_SHOP_TIERS
    assert read["effectiveTiers"] == COFFEE_SHOP_TIERS["tiers"]


def test_tiers_sent_in_any_order_are_kept_as_a_ladder(owner: Dashboard) -> None:
    offer = owner.create_offer()
    shuffled = copy.deepcopy(COFFEE_SHOP_TIERS)
    shuffled["tiers"].reverse()
    response = owner.call("PUT", f"/api/offers/{offer['offerId']}/loyalty-tiers", json=shuffled)
    assert response.status_code == 200, response.text
    assert response.json()["tiers"] == COFFEE_SHOP_TIERS["tiers"]


def test_delete_goes_back_to_default_tiers(owner: Dashboard) -> None:
    offer = owner.create_offer(loyaltyTiers=COFFEE_SHOP_TIERS)
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    response = owner.call("DELETE", path)
    assert response.status_code == 200
    assert response.json()["source"] == "default"
    body = owner.call("GET", path).json()
    assert body["source"] == "default"
    assert [tier["id"] for tier in body["tiers"]] == DEFAULT_TIER_IDS
    assert owner.call("GET", f"/api/offers/{offer['offerId']}").json()["loyaltyTiers"] is None


def test_disabled_config_keeps_defaults_in_force(owner: Dashboard) -> None:
    offer = owner.create_offer()
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    disabled = {**COFFEE_SHOP_TIERS, "enabled": False}
    response = owner.call("PUT", path, json=disabled)
    assert response.status_code == 200, response.text
    body = owner.call("GET", path).json()
    assert body["source"] == "default"
    assert body["enabled"] is False
    assert [tier["id"] for tier in body["tiers"]] == DEFAULT_TIER_IDS
    assert body["customTiers"] == COFFEE_SHOP_TIERS["tiers"]
    read = owner.call("GET", f"/api/offers/{offer['offerId']}").json()
    assert read["loyaltyTiers"] == disabled
    assert [tier["id"] for tier in read["effectiveTiers"]] == DEFAULT_TIER_IDS


def test_manager_cannot_change_tiers(owner: Dashboard, manager: Dashboard) -> None:
    offer = owner.create_offer()
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    _error(manager.call("PUT", path, json=COFFEE_SHOP_TIERS), 403, "FORBIDDEN")
    _error(manager.call("DELETE", path), 403, "FORBIDDEN")
    assert owner.call("GET", path).json()["source"] == "default"


def test_another_business_cannot_change_tiers(owner: Dashboard, rival: Dashboard) -> None:
    offer = owner.create_offer(loyaltyTiers=COFFEE_SHOP_TIERS)
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    _error(rival.call("PUT", path, json={**COFFEE_SHOP_TIERS, "enabled": False}), 404, "OFFER_NOT_FOUND")
    _error(rival.call("DELETE", path), 404, "OFFER_NOT_FOUND")
    assert owner.call("GET", path).json() == {**COFFEE_SHOP_TIERS, "source": "custom"}


def _tier(tier_id: str, low: int, high: int | None) -> dict[str, Any]:
    return {
        "id": tier_id,
        "name": tier_id.title(),
        "nameAr": "مستوى",
        "minRewards": low,
        "maxRewards": high,
        "icon": "⭐",
    }


@pytest.mark.parametrize(
    ("tiers", "field"),
    [
        pytest.param(
            [_tier("a", 1, 3), _tier("b", 3, 5), _tier("c", 6, None)], "tiers[1].minRewards", id="overlap"
        ),
        pytest.param(
            [_tier("a", 1, 3), _tier("b", 5, 8), _tier("c", 9, None)], "tiers[1].minRewards", id="gap"
        ),
        pytest.param([_tier("a", 1, 3), _tier("b", 4, 8)], "tiers[1].maxRewards", id="bounded-top"),
        pytest.param(
            [_tier("a", 1, 3), _tier("b", 4, None), _tier("c", 9, None)],
            "tiers[1].maxRewards",
            id="unbounded-middle",
        ),
    ],
)
def test_broken_ladders_are_rejected_naming_the_field(
    owner: Dashboard, tiers: list[dict[str, Any]], field: str
) -> None:
    offer = owner.create_offer()
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    error = _error(owner.call("PUT", path, json={"enabled": True, "tiers": tiers}), 422, "VALIDATION_ERROR")
    assert [detail["field"] for detail in error["details"]] == [field]
    assert owner.call("GET", path).json()["source"] == "default"


def test_put_tiers_malformed_json_is_400(owner: Dashboard) -> None:
    offer = owner.create_offer()
    response = owner.call(
        "PUT",
        f"/api/offers/{offer['offerId']}/loyalty-tiers",
        data="{enabled: true",
        headers={"Content-Type": "application/json"},
    )
    _error(response, 400, "MALFORMED_JSON")


def test_put_tiers_wrong_types_are_422(owner: Dashboard) -> None:
    offer = owner.create_offer()
    path = f"/api/offers/{offer['offerId']}/loyalty-tiers"
    body = {
        "enabled": "true",
        "tiers": [
            {
                "id": 7,
                "name": None,
                "nameAr": ["x"],
                "minRewards": "1",
                "maxRewards": False,
                "icon": 3,
                "color": 16777215,
            }
        ],
    }
    error = _error(owner.call("PUT", path, json=body), 422, "VALIDATION_ERROR")
    assert _fields(error) == {
        "enabled",
        "tiers[0].id",
        "tiers[0].name",
        "tiers[0].nameAr",
        "tiers[0].minRewards",
        "tiers[0].maxRewards",
        "tiers[0].icon",
        "tiers[0].color",
    }
    for not_a_config in ("[]", '"tiers"', "3", "null"):
        response = owner.call("PUT", path, data=not_a_config, headers={"Content-Type": "application/json"})
        assert _fields(_error(response, 422, "VALIDATION_ERROR")) == {"body"}


def test_put_tiers_without_a_body_is_400(owner: Dashboard) -> None:
    offer = owner.create_offer()
    _error(owner.call("PUT", f"/api/offers/{offer['offerId']}/loyalty-tiers"), 400, "MALFORMED_JSON")


def test_routes_need_a_token(gateway: str, owner: Dashboard) -> None:
    offer = owner.create_offer()
    for method, path in [
        ("POST", "/api/offers"),
        ("GET", "/api/offers"),
        ("GET", f"/api/offers/{offer['offerId']}"),
        ("GET", f"/api/offers/{offer['offerId']}/loyalty-tiers"),
        ("PUT", f"/api/offers/{offer['offerId']}/loyalty-tiers"),
        ("DELETE", f"/api/offers/{offer['offerId']}/loyalty-tiers"),
    ]:
        _error(requests.request(method, f"{gateway}{path}", timeout=15), 401, "UNAUTHORIZED")


def test_changing_the_ladder_reranks_existing_customers(
    gateway: str, owner: Dashboard, manager: Dashboard
) -> None:
    offer = owner.create_offer(stampsRequired=1)
    offer_id = offer["offerId"]
    enrolled = requests.post(
        f"{gateway}/api/offers/{offer_id}/enroll",
        json={"email": f"{uuid.uuid4().hex[:10]}@example.com", "name": "Layla"},
        timeout=15,
    )
    assert enrolled.status_code == 201, enrolled.text
    customer = enrolled.json()["customerId"]
    for _ in range(4):
        assert manager.call("POST", f"/api/branch-manager/scan/{customer}/{offer_id}").status_code == 200
        assert (
            manager.call("POST", f"/api/branch-manager/confirm-prize/{customer}/{offer_id}").status_code
            == 200
        )

    def tier_now() -> dict[str, Any]:
        response = manager.call("GET", f"/api/branch-manager/passes/{customer}/{offer_id}")
        assert response.status_code == 200, response.text
        return response.json()["tier"]

    assert tier_now()["currentTier"]["id"] == "silver"
    assert (
        owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=COFFEE_SHOP_TIERS).status_code == 200
    )
    coffee = tier_now()
    assert coffee["currentTier"]["id"] == "coffee-expert"
    assert coffee["rewardsClaimed"] == 4
    assert coffee["rewardsToNextTier"] == 6
    assert coffee["nextTier"]["id"] == "coffee-master"
    assert owner.call("DELETE", f"/api/offers/{offer_id}/loyalty-tiers").status_code == 200
    assert tier_now()["currentTier"]["id"] == "silver"
