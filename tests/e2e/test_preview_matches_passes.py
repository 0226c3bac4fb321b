"""The pass preview is the real passes: for an offer wearing its own brand, the preview of a pass with two stamps
shows the fields, labels and colours of that pass's real `.pkpass` and the texts of its real Google object."""

from __future__ import annotations

import json

import pytest
import requests

from loyalty.adapters.google.objects import class_id, object_id
from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.google_wallet import LOCAL_ISSUER_ID, GoogleWalletStandin
from tests.e2e.test_brand import uploaded
from tests.e2e.test_wallet_ladder_refresh import eventually
from tests.support.counter import Counter, enroll
from tests.support.images import encoded
from tests.support.phone import pkpass_files

pytestmark = pytest.mark.e2e

SECTIONS = ("headerFields", "primaryFields", "secondaryFields", "auxiliaryFields", "backFields")
PERSONAL = ("member", "memberSince", "preferences")  # a preview has no customer for these


def test_the_preview_shows_what_the_real_apple_pass_and_google_object_show(
    gateway: str, owner: Counter, local_stack: LocalStack, google: GoogleWalletStandin
) -> None:
    offer_id = owner.create_offer(stamps_required=4)
    assert owner.call("PATCH", "/api/business", json={"name": "Bean There"}).status_code == 200
    logo = uploaded(owner, encoded(900, 300))
    brand = {
        "backgroundColor": "#0B3D2E",
        "foregroundColor": "#FFFFFF",
        "labelColor": "#B7E4C7",
        "logoImageId": logo,
    }
    assert owner.call("PATCH", f"/api/offers/{offer_id}", json={"brand": brand}).status_code == 200
    joined = enroll(gateway, offer_id).json()
    for _ in range(2):
        assert owner.scan(joined["customerId"], offer_id).status_code == 200
    wallet_id = object_id(LOCAL_ISSUER_ID, joined["customerId"], offer_id)

    def stamped_twice() -> bool:
        stored = google.wallet_object(wallet_id)
        return stored is not None and any(
            "2 " in str(m.get("body")) for m in stored.get("textModulesData", [])
        )

    eventually(local_stack, stamped_twice)
    real = json.loads(
        pkpass_files(requests.get(joined["wallet"]["appleWalletUrl"], timeout=30).content)["pass.json"]
    )

    shown = owner.call(
        "POST", f"/api/offers/{offer_id}/pass-preview", json={"currentStamps": 2, "language": "en"}
    )

    assert shown.status_code == 200, shown.text
    apple = shown.json()["apple"]
    for section in SECTIONS:
        mine = [f for f in apple[section] if f["key"] not in PERSONAL]
        theirs = [f for f in real["storeCard"][section] if f["key"] not in PERSONAL]
        assert [(f["key"], f.get("value")) for f in mine] == [(f["key"], f.get("value")) for f in theirs], (
            section
        )
    for colour in ("backgroundColor", "foregroundColor", "labelColor"):
        assert apple[colour] == real[colour] == shown.json()["apple"][colour]
    assert real["backgroundColor"] == "rgb(11, 61, 46)"  # the offer's own brand, on both
    stored = google.wallet_object(wallet_id)
    assert stored is not None
    preview_google = shown.json()["google"]
    assert preview_google["loyaltyPoints"] == stored["loyaltyPoints"]
    assert preview_google["textModulesData"] == stored["textModulesData"]
    # The header and the class as the real builders draw them.
    assert (apple["organizationName"], apple["logoText"]) == (real["organizationName"], real["logoText"])
    assert apple["logoUrl"] == f"{gateway}/brand-images/{logo}/logo@2x.png"
    eventually(
        local_stack,
        lambda: (
            (google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id)) or {}).get("hexBackgroundColor")
            == "#0B3D2E"
        ),
    )
    drawn_class = google.wallet_class(class_id(LOCAL_ISSUER_ID, offer_id))
    assert drawn_class is not None
    assert preview_google["issuerName"] == drawn_class["issuerName"] == "Bean There"
    assert preview_google["hexBackgroundColor"] == drawn_class["hexBackgroundColor"]
    assert preview_google["programLogoUrl"] == drawn_class["programLogo"]["sourceUri"]["uri"]
    arabic = owner.call(
        "POST", f"/api/offers/{offer_id}/pass-preview", json={"currentStamps": 2, "language": "ar"}
    )
    assert arabic.json()["apple"]["backgroundColor"] == real["backgroundColor"]
