"""Enrollment that reveals nothing (issue 12): whoever types a customer's email into the public form learns
only that a mail was sent; the pass goes to that mailbox as a link, and the link gives it back."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from tests.support.counter import Counter, enroll, expire_pass, mailbox, recover, recovery_token

pytestmark = pytest.mark.e2e


@pytest.fixture
def offer_id(owner: Counter) -> str:
    return owner.create_offer(stamps_required=3, name="Bean Card", nameAr="بطاقة البن")


def an_email() -> str:
    return f"victim-{uuid.uuid4().hex[:10]}@example.com"


def leaks(answer: dict[str, Any], pass_answer: dict[str, Any]) -> list[str]:
    """Every value of the customer's pass that appears anywhere in an answer someone else got."""
    text = str(answer)
    secrets = [pass_answer["customerId"], pass_answer["passSerial"], pass_answer["qrPayload"]]
    secrets += [str(link) for link in (pass_answer.get("wallet") or {}).values() if link]
    return [secret for secret in secrets if secret in text]


def test_an_enrolled_email_gets_202_and_nothing_of_the_pass(gateway: str, offer_id: str) -> None:
    email = an_email()
    mine = enroll(gateway, offer_id, email=email, name="Victoria")
    assert mine.status_code == 201, mine.text

    for typed in (email, email.upper(), f"  {email} ", email.replace("@", "\uff20")):  # ＠: fullwidth
        theirs = enroll(gateway, offer_id, email=typed, name="Mallory")
        assert theirs.status_code == 202, (typed, theirs.text)
        assert theirs.json() == {"success": True, "status": "VERIFICATION_SENT"}
        assert leaks(theirs.json(), mine.json()) == []
        assert "Victoria" not in theirs.text


def test_the_pass_is_mailed_and_the_link_gives_it_back_twice(gateway: str, offer_id: str) -> None:
    email = an_email()
    mine = enroll(gateway, offer_id, email=email, name="Victoria", preferredLanguage="en").json()
    assert mailbox(gateway, email) == [], "a new pass is answered, not mailed"

    assert enroll(gateway, offer_id, email=email, name="Mallory").status_code == 202
    [mail] = mailbox(gateway, email)
    assert mail["to"] == email
    assert "Bean Card" in mail["subject"]
    assert "Victoria" in mail["text"] and "Mallory" not in mail["text"]
    assert f"{gateway}/pass/recover?token=" in mail["text"]
    assert "/pass/recover?token=" in mail["html"]
    assert mail["sentAt"].endswith("Z")

    token = recovery_token(gateway, email)
    for _phone in range(2):  # the link may be opened on two phones
        back = recover(gateway, token)
        assert back.status_code == 200, back.text
        body = back.json()
        assert (body["customerId"], body["passSerial"]) == (mine["customerId"], mine["passSerial"])
        assert set(body) >= {"customerId", "offerId", "passSerial", "status", "qrPayload", "progress", "tier"}


def test_each_request_mails_a_new_link_newest_first(gateway: str, offer_id: str) -> None:
    email = an_email()
    enroll(gateway, offer_id, email=email)
    assert enroll(gateway, offer_id, email=email).status_code == 202
    first = recovery_token(gateway, email)
    assert enroll(gateway, offer_id, email=email).status_code == 202
    second = recovery_token(gateway, email)
    assert first != second and len(mailbox(gateway, email)) == 2
    assert recover(gateway, first).status_code == 200


def test_an_arabic_customer_gets_the_mail_in_arabic(gateway: str, offer_id: str) -> None:
    email = an_email()
    enroll(gateway, offer_id, email=email, name="ليلى", preferredLanguage="ar")
    enroll(gateway, offer_id, email=email)
    [mail] = mailbox(gateway, email)
    assert "بطاقة البن" in mail["subject"] and "ليلى" in mail["text"]
    assert 'dir="rtl"' in mail["html"]


@pytest.mark.parametrize(
    "token", ["", "x", "A" * 43, "../../etc/passwd", "A" * 5000, "ŧøĸëñ" * 10, "\u200b" * 40]
)
def test_an_unknown_or_tampered_token_is_404(gateway: str, token: str) -> None:
    response = recover(gateway, token)
    if token == "" or len(token) > 1024:
        assert response.status_code == 422, response.text  # not a token at all: the body is invalid
        return
    assert response.status_code == 404, response.text
    assert response.json()["error"]["code"] == "LINK_NOT_FOUND"


def test_a_token_changed_by_one_character_is_404(gateway: str, offer_id: str) -> None:
    email = an_email()
    enroll(gateway, offer_id, email=email)
    enroll(gateway, offer_id, email=email)
    token = recovery_token(gateway, email)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = recover(gateway, tampered)
    assert response.status_code == 404 and response.json()["error"]["code"] == "LINK_NOT_FOUND"


def test_recovery_brings_an_expired_pass_back_with_its_rewards(
    gateway: str, offer_id: str, manager: Counter, local_stack: Any
) -> None:
    email = an_email()
    mine = enroll(gateway, offer_id, email=email).json()
    customer = mine["customerId"]
    for _ in range(3):
        assert manager.scan(customer, offer_id).status_code == 200
    assert manager.confirm(customer, offer_id).status_code == 200
    assert manager.scan(customer, offer_id).status_code == 200
    expire_pass(local_stack, customer, offer_id)
    assert manager.status(customer, offer_id).json()["status"] == "EXPIRED"

    assert enroll(gateway, offer_id, email=email).status_code == 202
    assert manager.status(customer, offer_id).json()["status"] == "EXPIRED", "asking alone changes nothing"
    back = recover(gateway, recovery_token(gateway, email))

    assert back.status_code == 200, back.text
    body = back.json()
    assert body["status"] == "ACTIVE"
    assert body["progress"]["currentStamps"] == 0 and body["progress"]["rewardsClaimed"] == 1
    assert manager.scan(customer, offer_id).status_code == 200


@pytest.mark.parametrize(
    "email",
    [
        "jane\u200b@example.com",  # zero-width space
        "jane\u200e@example.com",  # left-to-right mark
        "ja\u00adne@example.com",  # soft hyphen
        "\ufeffjane@example.com",  # byte order mark
        "jane\x00@example.com",  # NUL
        "jane\x85@example.com",  # C1 next line
        "jane\u202e@example.com",  # right-to-left override
        "jane\u034f@example.com",  # combining grapheme joiner (a mark that draws nothing)
        "jane\ufe0f@example.com",  # variation selector-16
        "ja\u3164ne@example.com",  # Hangul filler (a letter that draws nothing)
    ],
)
def test_invisible_characters_in_an_email_are_422(gateway: str, offer_id: str, email: str) -> None:
    response = enroll(gateway, offer_id, email=email)
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["error"]["details"]] == ["email"]


@pytest.mark.parametrize("name", ["\u200b", " \u00a0 ", "\u3164", "\u2800\u2800", "\u200d\u200c", "Ja\x07ne"])
def test_a_name_nobody_can_see_is_422(gateway: str, offer_id: str, name: str) -> None:
    response = enroll(gateway, offer_id, name=name)
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["error"]["details"]] == ["name"]


@pytest.mark.parametrize("name", ["José", "ليلى", "مُحمّد", "می\u200cخواهم", "👩\u200d🍳 Chef", "李"])
def test_real_names_are_kept(gateway: str, offer_id: str, name: str) -> None:
    assert enroll(gateway, offer_id, name=name).status_code == 201


def test_the_apple_link_carries_no_pass_token_and_expires(
    gateway: str, offer_id: str, local_stack: Any
) -> None:
    answer = enroll(gateway, offer_id).json()
    url = answer["wallet"]["appleWalletUrl"]
    stored = local_stack.client("dynamodb").get_item(
        TableName=local_stack.config.table_name,
        Key={"PK": {"S": f"PASS#{answer['customerId']}#{offer_id}"}, "SK": {"S": "PASS"}},
    )["Item"]
    assert stored["authToken"]["S"] not in url
    query = parse_qs(urlsplit(url).query)
    assert set(query) == {"expires", "token"}
    assert requests.get(url, timeout=30).status_code == 200
    stretched = url.replace(f"expires={query['expires'][0]}", f"expires={int(query['expires'][0]) + 86400}")
    assert requests.get(stretched, timeout=30).status_code == 401


def test_a_retried_request_with_its_idempotency_key_mails_once(gateway: str, offer_id: str) -> None:
    email = an_email()
    enroll(gateway, offer_id, email=email)
    key = {"Idempotency-Key": f"join-{uuid.uuid4().hex}"}
    first = enroll(gateway, offer_id, email=email, headers=key)
    again = enroll(gateway, offer_id, email=email, headers=key)
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json() == {"success": True, "status": "VERIFICATION_SENT"}
    assert len(mailbox(gateway, email)) == 1
