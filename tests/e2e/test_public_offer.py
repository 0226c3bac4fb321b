"""The public offer card through the local gateway: what a join page may show before any form, and nothing more."""

from __future__ import annotations

import pytest
import requests

from tests.support.counter import Counter

pytestmark = pytest.mark.e2e

PUBLIC_OFFER_FIELDS = {
    "offerId",
    "name",
    "nameAr",
    "rewardDescription",
    "rewardDescriptionAr",
    "stampsRequired",
    "status",
    "business",
}


def public_pass(gateway: str, offer_id: str) -> requests.Response:
    # No Authorization header: a customer who scanned a poster has none.
    return requests.get(f"{gateway}/api/public/offers/{offer_id}", timeout=30)


def test_the_pass_shows_the_offer_and_its_business_to_anyone(
    gateway: str, owner: Counter, local_stack, business_id: str
) -> None:
    named = owner.call("PATCH", "/api/business", json={"name": "Bean There", "nameAr": "بين ذير"})
    assert named.status_code == 200, named.text
    offer_id = owner.create_offer(stamps_required=7, nameAr="بطاقة القهوة", rewardDescriptionAr="قهوة مجانية")

    response = public_pass(gateway, offer_id)

    assert response.status_code == 200, response.text
    pass_ = response.json()
    assert set(pass_) == PUBLIC_OFFER_FIELDS
    assert (pass_["offerId"], pass_["name"], pass_["nameAr"]) == (offer_id, "Coffee Card", "بطاقة القهوة")
    assert (pass_["rewardDescription"], pass_["rewardDescriptionAr"]) == ("A free coffee", "قهوة مجانية")
    assert (pass_["stampsRequired"], pass_["status"]) == (7, "ACTIVE")
    assert (pass_["business"]["name"], pass_["business"]["nameAr"]) == ("Bean There", "بين ذير")
    brand = pass_["business"]["brand"]
    assert brand["logoUrl"] is None and brand["logoImageId"] is None
    assert brand["backgroundColor"].startswith("#") and brand["foregroundColor"].startswith("#")
    assert business_id not in response.text  # the card names no business id, customer or count


def test_a_cdn_may_keep_the_pass_for_a_minute(gateway: str, owner: Counter) -> None:
    response = public_pass(gateway, owner.create_offer())

    directives = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=60"}


def test_an_archived_offer_says_so(gateway: str, owner: Counter) -> None:
    offer_id = owner.create_offer()
    archived = owner.call("PATCH", f"/api/offers/{offer_id}", json={"status": "ARCHIVED"})
    assert archived.status_code == 200, archived.text

    response = public_pass(gateway, offer_id)

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "ARCHIVED"


@pytest.mark.parametrize("offer_id", ["off_doesnotexist0000000", "not-an-offer", "off_"])
def test_an_unknown_offer_is_404(gateway: str, offer_id: str) -> None:
    response = public_pass(gateway, offer_id)

    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "OFFER_NOT_FOUND"
    assert response.json()["success"] is False
