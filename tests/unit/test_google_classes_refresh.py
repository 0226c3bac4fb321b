"""The classes step's walk: calls to Google spaced to the rate asked, a class Google fails on counted and passed
over, and the brand a class wears (the offer's own, else the business's; images only from a known web origin)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from loyalty.adapters.dynamodb.dynamo import to_item
from loyalty.adapters.dynamodb.google_classes_refresh import refresh_google_classes
from loyalty.adapters.dynamodb.offers import offer_to_item
from loyalty.adapters.google.client import GoogleWalletUnavailable, WalletResourceNotFound
from loyalty.adapters.google.looks import brand_images_at, class_look
from loyalty.adapters.google.objects import class_id
from loyalty.domain.brand import Brand, BusinessProfile
from loyalty.domain.offers import Offer
from tests.support.google_service_account import sample_offer

ISSUER = "3388000000012345678"
CALLBACK = "https://stamps.example.com/wallet/google/callback"


class OfferScan:
    """A table's scan as DynamoDB pages it: `Limit` items a page, `LastEvaluatedKey` while more remain."""

    def __init__(self, offers: list[Offer]) -> None:
        self.items = [to_item(offer_to_item(offer)) for offer in offers]
        self.requests = 0

    def scan(self, **request: Any) -> dict[str, Any]:
        self.requests += 1
        start = int(request["ExclusiveStartKey"]["PK"]["S"]) if "ExclusiveStartKey" in request else 0
        end = min(start + request["Limit"], len(self.items))
        page: dict[str, Any] = {"Items": self.items[start:end], "ScannedCount": end - start}
        if end < len(self.items):
            page["LastEvaluatedKey"] = {"PK": {"S": str(end)}, "SK": {"S": "x"}}
        return page


class Google:
    """Classes as Google answers them, and the PATCHes made through the edit's call."""

    def __init__(self, classes: dict[str, Any]) -> None:
        self.classes = classes
        self.calls: list[str] = []
        self.patched: list[str] = []

    def get_class(self, wanted: str) -> dict[str, Any]:
        self.calls.append(f"GET {wanted}")
        found = self.classes.get(wanted)
        if found is None:
            raise WalletResourceNotFound(f"GET {wanted}: 404", 404)
        if isinstance(found, Exception):
            raise found
        return dict(found)

    def update_class(self, offer: Offer) -> None:
        self.calls.append(f"PATCH {offer.offer_id}")
        self.patched.append(offer.offer_id)


class Clock:
    def __init__(self) -> None:
        self.now = 50.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def _offers(count: int) -> list[Offer]:
    return [sample_offer(f"off_{n:026d}") for n in range(count)]


def test_calls_are_spaced_and_a_failure_leaves_the_rest_done() -> None:
    offers = _offers(4)
    ids = [class_id(ISSUER, offer.offer_id) for offer in offers]
    google = Google(
        {
            ids[0]: {"id": ids[0]},
            ids[1]: GoogleWalletUnavailable("GET: 503", 503),
            ids[2]: {"id": ids[2], "callbackOptions": {"url": CALLBACK}},
            # ids[3]: Google has no class of this offer yet
        }
    )
    clock = Clock()
    done = refresh_google_classes(
        OfferScan(offers),
        "table",
        google,
        google,
        issuer_id=ISSUER,
        callback_url=CALLBACK,
        calls_per_second=4.0,
        sleep=clock.sleep,
        clock=clock,
    )
    assert (done.offers, done.updated, done.skipped, done.failed) == (4, 1, 2, 1)
    assert done.start_after is None
    assert google.patched == [offers[0].offer_id]
    # Five calls at four a second: a quarter second before each after the first.
    assert len(google.calls) == 5
    assert clock.slept == [0.25] * 4


def test_a_limited_run_stops_at_a_page_and_names_where_to_go_on() -> None:
    offers = _offers(5)
    google = Google({class_id(ISSUER, offer.offer_id): {"id": "x"} for offer in offers})
    scan = OfferScan(offers)
    first = refresh_google_classes(
        scan, "table", google, google, issuer_id=ISSUER, callback_url=CALLBACK, limit=2, calls_per_second=0
    )
    assert (first.offers, first.updated) == (2, 2)
    assert first.start_after is not None
    rest = refresh_google_classes(
        scan,
        "table",
        google,
        google,
        issuer_id=ISSUER,
        callback_url=CALLBACK,
        start_after=first.start_after,
        calls_per_second=0,
    )
    assert (rest.offers, rest.updated, rest.start_after) == (3, 3, None)
    assert google.patched == [offer.offer_id for offer in offers]


def test_the_class_wears_the_offers_brand_else_the_businesss() -> None:
    offer = sample_offer()
    business = BusinessProfile(
        offer.business_id,
        "Café Nour",
        "مقهى نور",
        Brand(logo_image_id="img_logo", background_color="#101010"),
    )
    images = brand_images_at("https://stamps.example.com/")
    look = class_look(offer, business, images)
    assert look is not None
    assert (look.issuer_name, look.background_color) == ("Café Nour", "#101010")
    assert look.logo_url == "https://stamps.example.com/brand-images/img_logo/google-logo.png"
    own = class_look(replace(offer, brand=Brand(background_color="#222222")), business, images)
    assert own is not None and own.background_color == "#222222"
    # No web origin known: no images Google could fetch.
    assert brand_images_at("") is None
    bare = class_look(offer, business, None)
    assert bare is not None and bare.logo_url is None
    assert class_look(offer, None, images) is None
