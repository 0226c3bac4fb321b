"""What the wallets show of a business's brand, drawn by the real builders: its name and colours, the platform's
name for a business not named yet, and nothing a phone would refuse."""

from __future__ import annotations

from loyalty.adapters.apple.content import PassLook, pass_document, pass_face
from loyalty.adapters.google.objects import ClassLook, loyalty_class
from loyalty_local.standins.wallet_pass_rules import problems
from tests.support.apple_passes import a_pass, an_issuer, an_offer

ISSUER = an_issuer("pass.test.loyalty", "TEAM123456")
LOOK = PassLook("Bean There", "بين ذير", "#FFF8E7", "#3B2314", "#6B4226")


def _apple(look: PassLook | None) -> dict[str, object]:
    offer = an_offer()
    pass_ = a_pass(offer)
    return pass_document(pass_face(pass_, offer, offer.ladder.standing(7), 90), ISSUER, look).pass_json


def test_the_apple_pass_wears_the_business_name_and_colours() -> None:
    document = _apple(LOOK)
    assert (document["organizationName"], document["backgroundColor"]) == ("Bean There", "rgb(255, 248, 231)")
    assert problems(document) == []


def test_a_business_not_named_yet_shows_the_platform_as_issuer_never_a_blank() -> None:
    document = _apple(PassLook("", None, "#FFF8E7", "#3B2314", "#6B4226"))
    assert document["organizationName"] == "Loyalty Test"
    assert document["backgroundColor"] == "rgb(255, 248, 231)"
    assert problems(document) == []


def test_the_google_class_wears_the_brand_or_the_platform_name() -> None:
    offer = an_offer()
    named = loyalty_class(
        "3388", "Loyalty", "https://web/logo.png", offer, ClassLook("Bean There", None, "#FFF8E7", None, None)
    )
    assert (named["issuerName"], named["hexBackgroundColor"]) == ("Bean There", "#FFF8E7")
    assert "heroImage" not in named
    unnamed = loyalty_class(
        "3388", "Loyalty", "https://web/logo.png", offer, ClassLook("", None, "#FFF8E7", None, None)
    )
    assert unnamed["issuerName"] == "Loyalty" and "localizedIssuerName" not in unnamed
