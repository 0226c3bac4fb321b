"""The pass's back says whether the customer receives offers and news, and links to where they change it."""

from __future__ import annotations

from loyalty.adapters.apple.content import pass_document, pass_face
from loyalty.domain.consent import preferences_url
from tests.support.apple_passes import a_pass, an_issuer, an_offer

ISSUER = an_issuer("pass.test.loyalty", "TEAM123456")


def _back(consent: bool, web: str | None) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    offer = an_offer()
    pass_ = a_pass(offer, marketing_consent=consent)
    link = preferences_url(web, pass_) if web else None
    document = pass_document(pass_face(pass_, offer, offer.ladder.standing(7), 90, link), ISSUER)
    fields = {field["key"]: field for field in document.pass_json["storeCard"]["backFields"]}
    return fields, document.strings


def test_the_back_links_to_the_customer_preferences_page_in_both_languages() -> None:
    fields, strings = _back(False, "https://app.example")
    field = fields["preferences"]
    assert "https://app.example/pass/preferences?customerId=cus_" in field["value"]
    assert field["value"].startswith("You receive no offers or news on this card.")
    arabic = strings["ar"][field["value"]]
    assert arabic.startswith("لا تصلك عروض ولا أخبار") and "https://app.example/pass/preferences?" in arabic


def test_the_back_says_yes_once_the_customer_said_yes() -> None:
    fields, _ = _back(True, "https://app.example")
    assert fields["preferences"]["value"].startswith("You receive offers and news on this card.")


def test_no_web_origin_no_link() -> None:
    fields, _ = _back(True, None)
    assert "preferences" not in fields
