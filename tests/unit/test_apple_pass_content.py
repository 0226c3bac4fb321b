"""What a customer sees on the Apple Wallet pass, in English and in Arabic."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.apple.content import (
    PassDocument,
    pass_document,
    pass_face,
    progress_text,
    strings_file,
)
from loyalty.domain.passes import PassStatus
from loyalty_local.standins.wallet_pass_rules import problems
from tests.support.apple_passes import a_pass, an_issuer, an_offer

ISSUER = an_issuer("pass.test.loyalty", "TEAM123456")


def _document(stamps: int = 4, rewards: int = 7, **changes: Any) -> PassDocument:
    offer = an_offer()
    pass_ = a_pass(offer, stamps=stamps, rewards=rewards, **changes)
    return pass_document(pass_face(pass_, offer, offer.ladder.standing(rewards), 90), ISSUER)


def _fields(document: PassDocument, group: str) -> dict[str, dict[str, Any]]:
    return {field["key"]: field for field in document.pass_json["storeCard"][group]}


def _shown(document: PassDocument, language: str, text: str) -> str:
    """What a phone in `language` shows for a pass.json text (Wallet looks the text up in pass.strings)."""
    return document.strings[language].get(text, text)


def test_front_shows_progress_completions_and_tier_in_english() -> None:
    secondary = _fields(_document(stamps=4, rewards=7), "secondaryFields")
    assert [(f["label"], f["value"]) for f in secondary.values()] == [
        ("Progress", "4 of 5"),
        ("Completed", "7x"),
        ("Tier", "🥇 Gold Member"),
    ]
    assert all(_shown(_document(), "en", f["value"]) == f["value"] for f in secondary.values())


def test_front_in_arabic() -> None:
    document = _document(stamps=4, rewards=7)
    secondary = _fields(document, "secondaryFields")
    shown = {
        key: (_shown(document, "ar", f["label"]), _shown(document, "ar", f["value"]))
        for key, f in secondary.items()
    }
    assert shown == {
        "progress": ("التقدم", "٤ من ٥"),
        "completed": ("المكتملة", "×٧"),
        "tier": ("المستوى", "🥇 العضو الذهبي"),
    }


def test_back_shows_reward_next_tier_and_terms_in_both_languages() -> None:
    document = _document(rewards=7)
    back = _fields(document, "backFields")
    assert back["reward"]["value"] == "A free coffee of your choice"
    assert back["nextTier"]["value"] == "2 more for 💎 Platinum"
    assert "90 days" in back["terms"]["value"]
    assert _shown(document, "ar", back["reward"]["value"]) == "قهوة مجانية من اختيارك"
    assert _shown(document, "ar", back["nextTier"]["value"]) == "٢ مكافآت أخرى للوصول إلى 💎 البلاتيني"
    assert "٩٠" in _shown(document, "ar", back["terms"]["value"])


def test_top_tier_and_newcomer() -> None:
    top = _fields(_document(rewards=12), "backFields")["nextTier"]["value"]
    assert top == "You are at the top tier"
    newcomer = _document(stamps=0, rewards=0)
    assert _fields(newcomer, "secondaryFields")["tier"]["value"] == "New member"
    assert _fields(newcomer, "backFields")["nextTier"]["value"] == "1 more for 🥉 Bronze Member"


def test_every_text_the_pass_shows_is_translated() -> None:
    document = _document()
    texts = [document.pass_json["description"], document.pass_json["logoText"]]
    for group in document.pass_json["storeCard"].values():
        for field in group:
            texts += [field["label"]] + [field[k] for k in ("value", "changeMessage") if k in field]
    texts.remove(_fields(document, "backFields")["memberSince"]["value"])  # a date: Wallet formats it
    for language in ("en", "ar"):
        assert set(texts) <= set(document.strings[language]), language


def test_changing_fields_announce_themselves() -> None:
    document = _document()
    store_card = document.pass_json["storeCard"]
    announced = {
        f["key"]: f["changeMessage"] for group in store_card.values() for f in group if "changeMessage" in f
    }
    assert {"progress", "completed", "tier", "status"} <= set(announced)
    assert all("%@" in message for message in announced.values())
    assert all("%@" in document.strings["ar"][message] for message in announced.values())


def test_identity_barcode_and_update_service() -> None:
    offer = an_offer()
    pass_ = a_pass(offer)
    document = pass_document(pass_face(pass_, offer, offer.ladder.standing(7), 90), ISSUER).pass_json
    assert document["formatVersion"] == 1
    assert document["passTypeIdentifier"] == "pass.test.loyalty"
    assert document["teamIdentifier"] == "TEAM123456"
    assert document["serialNumber"] == pass_.pass_serial
    assert document["authenticationToken"] == pass_.auth_token
    assert len(document["authenticationToken"]) >= 16
    assert document["webServiceURL"] == "https://api.example.com/wallet/apple"
    assert document["organizationName"] == "Loyalty Test"
    assert document["description"] == "Morning Coffee stamp card"
    assert document["barcodes"] == [
        {
            "format": "PKBarcodeFormatQR",
            "message": pass_.qr_payload,
            "messageEncoding": "iso-8859-1",
            "altText": pass_.short_code,
        }
    ]
    pass_.qr_payload.encode("iso-8859-1")
    assert "expirationDate" not in document


def test_full_pass_and_expired_pass() -> None:
    full = _document(stamps=5)
    assert _fields(full, "headerFields")["status"]["value"] == "Reward ready 🎁"
    assert _fields(full, "primaryFields")["stamps"]["value"] == "●●●●●"
    expired = _document(status=PassStatus.EXPIRED, expired_at="2026-05-01T02:00:00.000Z")
    assert expired.pass_json["expirationDate"] == "2026-05-01T02:00:00Z"
    assert _fields(expired, "headerFields")["status"]["value"].startswith("Expired")


def test_long_passs_count_instead_of_drawing_dots() -> None:
    offer = an_offer(stamps_required=25)
    pass_ = replace(a_pass(offer, stamps=12), stamps_required=25)
    document = pass_document(pass_face(pass_, offer, offer.ladder.standing(7), 90), ISSUER)
    assert _fields(document, "primaryFields")["stamps"]["value"] == "12 / 25"


@given(st.integers(0, 50), st.integers(1, 50))
def test_progress_reads_the_same_in_both_languages(stamps: int, required: int) -> None:
    offer = an_offer(stamps_required=required)
    pass_ = replace(a_pass(offer, stamps=stamps, rewards=0), stamps_required=required)
    text = progress_text(pass_face(pass_, offer, offer.ladder.standing(0), 90))
    assert text.en == f"{stamps} of {required}"
    western = text.ar.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    assert western == f"{stamps} من {required}"


def test_strings_file_escapes_quotes_and_newlines() -> None:
    data = strings_file({'Say "hi"\nthere': "back\\slash"}).decode()
    assert data == '"Say \\"hi\\"\\nthere" = "back\\\\slash";\n'


def test_a_customer_named_like_a_label_keeps_both_their_name_and_the_arabic_label() -> None:
    for name in ("Reward", "Status", "Tier", "Terms", "Member"):
        document = _document(customer_name=name)
        member = _fields(document, "auxiliaryFields")["member"]
        reward = _fields(document, "backFields")["reward"]
        status = _fields(document, "headerFields")["status"]
        tier = _fields(document, "secondaryFields")["tier"]
        terms = _fields(document, "backFields")["terms"]
        assert _shown(document, "ar", member["value"]) == name, name
        assert _shown(document, "en", member["value"]) == name, name
        assert [_shown(document, "ar", f["label"]) for f in (reward, status, tier, terms)] == [
            "المكافأة",
            "الحالة",
            "المستوى",
            "الشروط",
        ], name
        assert _shown(document, "ar", _fields(document, "auxiliaryFields")["member"]["label"]) == "العضو"
        assert member["value"].strip("\u2060") == name, "the pass shows the name as given"


def test_dates_are_w3c_to_the_second_as_wallet_parses_them() -> None:
    member = _fields(_document(member_since="2026-12-07T14:41:32.573Z"), "backFields")["memberSince"]
    assert member["value"] == "2026-12-07T14:41:32Z"
    assert member["dateStyle"] == "PKDateStyleMedium"
    expired = _document(status=PassStatus.EXPIRED, expired_at="2026-12-07T14:41:32.999Z")
    assert expired.pass_json["expirationDate"] == "2026-12-07T14:41:32Z"


def test_the_front_holds_at_most_four_secondary_and_auxiliary_fields() -> None:
    store_card = _document().pass_json["storeCard"]
    front = store_card["secondaryFields"] + store_card["auxiliaryFields"]
    assert [field["key"] for field in front] == ["progress", "completed", "tier", "member"]


def test_wallet_takes_every_kind_of_pass_we_write() -> None:
    at = "2026-12-07T14:41:32.573Z"
    for document in (
        _document(member_since=at),
        _document(stamps=0, rewards=0, member_since=at),
        _document(rewards=12, member_since=at),
        _document(status=PassStatus.EXPIRED, expired_at=at, member_since=at),
        _document(status=PassStatus.ERASED, member_since=at),
    ):
        assert problems(document.pass_json) == []
