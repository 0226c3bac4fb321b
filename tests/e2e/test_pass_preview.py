"""The pass preview through the local gateway: what the real wallet passes carry, for a draft or the saved ladder."""

from __future__ import annotations

import json
import uuid

import pytest
import requests

from loyalty.domain.brand import DEFAULT_BACKGROUND, MIN_TEXT_CONTRAST, contrast_ratio
from tests.support.counter import Counter, enroll
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e

DRAFT = {
    "enabled": True,
    "tiers": [
        {
            "id": "fan",
            "name": "Fan",
            "nameAr": "معجب",
            "minRewards": 1,
            "maxRewards": 2,
            "icon": "⭐",
            "color": "#AA5500",
        },
        {"id": "star", "name": "Star", "nameAr": "نجم", "minRewards": 3, "maxRewards": None, "icon": "🌟"},
    ],
}


def preview(owner: Counter, offer_id: str, **body: object) -> requests.Response:
    return owner.call("POST", f"/api/offers/{offer_id}/pass-preview", json=body)


def test_the_preview_is_what_the_real_pass_carries(gateway: str, owner: Counter) -> None:
    offer_id = owner.create_offer(stamps_required=4, nameAr="بطاقة")
    joined = enroll(gateway, offer_id)
    manager = Counter(gateway, owner.headers["Authorization"].removeprefix("Bearer "))
    for _ in range(2):
        manager.scan(joined.json()["customerId"], offer_id)
    real = json.loads(
        pkpass_files(requests.get(joined.json()["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )

    shown = preview(owner, offer_id, currentStamps=2)
    assert shown.status_code == 200, shown.text
    apple = shown.json()["apple"]
    for section in ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields"):
        # Everything but the customer's own name, joining day and preferences link, which a preview has no
        # customer for.
        def shown_to_all(fields: list[dict[str, object]]) -> list[dict[str, object]]:
            return [field for field in fields if field["key"] not in ("member", "memberSince", "preferences")]

        assert shown_to_all(apple[section]) == shown_to_all(real["storeCard"][section]), section
    assert apple["labelColor"] == real["labelColor"]
    google = shown.json()["google"]
    assert google["loyaltyPoints"]["balance"] == {"int": 0}
    assert shown.json()["tier"]["currentTier"] is None


def test_a_draft_ladder_is_previewed_in_either_language(owner: Counter) -> None:
    offer_id = owner.create_offer(stamps_required=5)
    english = preview(owner, offer_id, loyaltyTiers=DRAFT, rewardsClaimed=3, currentStamps=1).json()
    assert english["tier"]["currentTier"]["id"] == "star" and english["tier"]["isTopTier"] is True
    assert any(
        "Star" in str(field["value"])
        for field in english["apple"]["headerFields"]
        + english["apple"]["secondaryFields"]
        + english["apple"]["auxiliaryFields"]
    )
    assert any("Star" in module["body"] for module in english["google"]["textModulesData"])

    arabic = preview(owner, offer_id, loyaltyTiers=DRAFT, rewardsClaimed=1, language="ar").json()
    # A tier's colour tints the labels only where it stays readable on the brand's background (4.5:1): this
    # draft's #AA5500 on the default dark background is not, so the labels keep the brand's label colour.
    assert contrast_ratio("#AA5500", DEFAULT_BACKGROUND) < MIN_TEXT_CONTRAST
    assert arabic["apple"]["labelColor"] == "rgb(196, 196, 210)"
    assert any("معجب" in module["body"] for module in arabic["google"]["textModulesData"])
    # The draft was not saved.
    assert owner.call("GET", f"/api/offers/{offer_id}/loyalty-tiers").json()["source"] == "default"


def test_a_bad_draft_is_refused_as_put_refuses_it(owner: Counter) -> None:
    offer_id = owner.create_offer()
    bad = {**DRAFT, "tiers": [{**DRAFT["tiers"][0], "minRewards": 0}, DRAFT["tiers"][1]]}
    put = owner.call("PUT", f"/api/offers/{offer_id}/loyalty-tiers", json=bad)
    shown = preview(owner, offer_id, loyaltyTiers=bad, colour="red", currentStamps=99)
    assert (put.status_code, shown.status_code) == (422, 422)
    fields = [detail["field"] for detail in shown.json()["error"]["details"]]
    put_fields = [f"loyaltyTiers.{detail['field']}" for detail in put.json()["error"]["details"]]
    assert set(put_fields) <= set(fields)
    assert "colour" in fields and "currentStamps" in fields


def test_only_the_owner_of_the_business_previews(
    gateway: str, token, business_id: str, owner: Counter
) -> None:
    offer_id = owner.create_offer()
    manager = Counter(gateway, token("manager", business_id, branch_id="b"))
    assert preview(manager, offer_id).status_code == 403
    stranger = Counter(gateway, token("owner", "biz_" + uuid.uuid4().hex[:20]))
    assert preview(stranger, offer_id).status_code == 404
