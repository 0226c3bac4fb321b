"""An offer's own brand through the local gateway (PATCH /api/offers/{offerId} with `brand`): checked as the
business's is, worn by that offer's real Apple pass, Google class and public card, redrawn quietly on that offer's
passes alone, and `null` going back to the business's brand."""

from __future__ import annotations

import io
import json

import pytest
import requests
from PIL import Image

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_brand import READABLE, uploaded
from tests.e2e.test_wallet_ladder_refresh import eventually
from tests.support.counter import Counter, enroll
from tests.support.images import SVG, encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e

SUMMER = {"backgroundColor": "#0B3D2E", "foregroundColor": "#FFFFFF", "labelColor": "#B7E4C7"}


def _pass_json(member: dict[str, object]) -> tuple[dict[str, object], dict[str, bytes]]:
    wallet = member["wallet"]
    assert isinstance(wallet, dict)
    download = requests.get(wallet["appleWalletUrl"], timeout=30)
    assert download.status_code == 200, download.text
    files = pkpass_files(download.content)
    return json.loads(files["pass.json"]), files


def test_an_offer_wears_its_own_brand_and_only_its_passes_are_redrawn(
    gateway: str, owner: Counter, local_stack: LocalStack, google: GoogleWalletStandin
) -> None:
    assert (
        owner.call("PATCH", "/api/business", json={"name": "Bean There", "brand": READABLE}).status_code
        == 200
    )
    summer, house = owner.create_offer(name="Summer Card"), owner.create_offer(name="House Card")
    members = {offer_id: enroll(gateway, offer_id).json() for offer_id in (summer, house)}
    wallets = {o: object_id(LOCAL_ISSUER_ID, m["customerId"], o) for o, m in members.items()}
    eventually(local_stack, lambda: all(google.wallet_object(w) is not None for w in wallets.values()))
    notifications_before = {w: len(google.notifications(w)) for w in wallets.values()}
    patches_before = {o: len(google.object_patches(w)) for o, w in wallets.items()}
    logo = uploaded(owner, encoded(900, 300, color="#2E86C1"))

    edited = owner.call("PATCH", f"/api/offers/{summer}", json={"brand": {"logoImageId": logo, **SUMMER}})

    assert edited.status_code == 200, edited.text
    brand = edited.json()["brand"]
    assert (brand["logoImageId"], brand["backgroundColor"]) == (logo, "#0B3D2E")
    assert brand["logoUrl"] == f"{gateway}/brand-images/{logo}/logo@2x.png"
    assert owner.call("GET", f"/api/offers/{summer}").json()["brand"] == brand
    assert owner.call("GET", f"/api/offers/{house}").json()["brand"] is None
    summer_view = requests.get(f"{gateway}/api/public/offers/{summer}", timeout=30).json()
    assert summer_view["business"]["name"] == "Bean There" and summer_view["business"]["brand"] == brand
    house_view = requests.get(f"{gateway}/api/public/offers/{house}", timeout=30).json()
    assert house_view["business"]["brand"]["backgroundColor"] == "#FFF8E7"

    summer_pass, files = _pass_json(members[summer])
    assert (summer_pass["organizationName"], summer_pass["backgroundColor"]) == (
        "Bean There",
        "rgb(11, 61, 46)",
    )
    logo_file = Image.open(io.BytesIO(files["logo@2x.png"])).convert("RGB")
    assert logo_file.getpixel((150, 50)) == (0x2E, 0x86, 0xC1)
    house_pass, house_files = _pass_json(members[house])
    assert house_pass["backgroundColor"] == "rgb(255, 248, 231)"
    assert house_files["logo@2x.png"] != files["logo@2x.png"]  # the platform's logo: the business has none

    def summer_class_branded() -> bool:
        stored = google.wallet_class(class_id(LOCAL_ISSUER_ID, summer))
        return stored is not None and stored.get("hexBackgroundColor") == "#0B3D2E"

    eventually(local_stack, summer_class_branded)
    stored = google.wallet_class(class_id(LOCAL_ISSUER_ID, summer))
    assert stored is not None
    assert stored["programLogo"]["sourceUri"]["uri"] == f"{gateway}/brand-images/{logo}/google-logo.png"
    house_class = google.wallet_class(class_id(LOCAL_ISSUER_ID, house))
    assert house_class is not None and house_class["hexBackgroundColor"] == "#FFF8E7"
    # Only the summer offer's pass was redrawn, and nobody was notified.
    eventually(local_stack, lambda: len(google.object_patches(wallets[summer])) > patches_before[summer])
    assert len(google.object_patches(wallets[house])) == patches_before[house]
    assert {w: len(google.notifications(w)) for w in wallets.values()} == notifications_before

    back = owner.call("PATCH", f"/api/offers/{summer}", json={"brand": None})
    assert back.status_code == 200 and back.json()["brand"] is None
    again, _ = _pass_json(members[summer])
    assert again["backgroundColor"] == "rgb(255, 248, 231)"
    eventually(
        local_stack,
        lambda: (
            (google.wallet_class(class_id(LOCAL_ISSUER_ID, summer)) or {}).get("hexBackgroundColor")
            == "#FFF8E7"
        ),
    )


def test_a_bad_offer_brand_is_a_clear_422_and_changes_nothing(gateway: str, owner: Counter, token) -> None:
    offer_id = owner.create_offer()
    svg = uploaded(owner, SVG)
    theirs = uploaded(Counter(gateway, token("owner", "biz_strangerbusiness02")), encoded(900, 300))
    before = owner.call("GET", f"/api/offers/{offer_id}").json()

    cases = [
        (
            {"backgroundColor": "#FFFFFF", "foregroundColor": "#EEEEEE"},
            "LOW_CONTRAST",
            "brand.foregroundColor",
        ),
        ({"stripImageId": svg}, "IMAGE_INVALID", "brand.stripImageId"),
        ({"logoImageId": theirs}, "IMAGE_INVALID", "brand.logoImageId"),
    ]
    for brand, code, field in cases:
        refused = owner.call("PATCH", f"/api/offers/{offer_id}", json={"name": "Renamed", "brand": brand})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["code"] == code
        assert field in [d["field"] for d in refused.json()["error"]["details"]]
    bad_shape = owner.call("PATCH", f"/api/offers/{offer_id}", json={"brand": "blue"})
    assert bad_shape.status_code == 422, bad_shape.text
    assert owner.call("GET", f"/api/offers/{offer_id}").json() == before
