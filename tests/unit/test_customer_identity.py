"""Who a customer is: one canonical email however it is typed, nothing invisible, a name someone can read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.dynamodb import keys
from loyalty.domain.customers import InvalidEmail, InvalidName, parse_email, parse_name


@pytest.mark.parametrize(
    "typed",
    ["jane@example.com", " Jane@Example.COM ", "ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", "jane@example.com\u00a0"],
)
def test_every_spelling_of_one_address_is_one_customer(typed: str) -> None:
    assert parse_email(typed) == "jane@example.com"
    assert keys.customer_key("biz_x", typed) == keys.customer_key("biz_x", "jane@example.com")


@given(
    st.sampled_from(
        [
            "\u200b",
            "\u200c",
            "\u200d",
            "\u200e",
            "\u200f",
            "\u00ad",
            "\ufeff",
            "\u202e",
            "\u2066",
            "\x00",
            "\x1f",
            "\x7f",
            "\x85",
            "\x9f",
            "\u2028",
            # Drawn as nothing, though a mark or a letter by category: a red team's lookalike customers.
            "\u034f",
            "\ufe0f",
            "\u3164",
            "\ufe00",
            "\u115f",
            "\uffa0",
            "\U000e0041",
        ]
    ),
    st.integers(0, 16),
)
def test_an_invisible_character_anywhere_in_an_email_is_refused(invisible: str, at: int) -> None:
    email = "jane.doe@example.com"
    at = min(at, len(email))
    with pytest.raises(InvalidEmail):
        parse_email(email[:at] + invisible + email[at:])


@pytest.mark.parametrize(
    "name", ["", "   ", "\u200b", "\u3164", "\u2800", "\u200d", "\u0301", "A\x00B", "A\u202eB"]
)
def test_names_nobody_can_read_are_refused(name: str) -> None:
    with pytest.raises(InvalidName):
        parse_name(name)


@pytest.mark.parametrize("name", ["Jane", "ليلى", "می\u200cخواهم", "👩\u200d🍳", "O'Brien", "李小龍"])
def test_real_names_are_kept_as_given(name: str) -> None:
    assert parse_name(f" {name} ") == name


@pytest.mark.parametrize(
    "address", ["josé@example.com", "मीरा@example.in", "ليلى@example.com", "李@example.cn"]
)
def test_addresses_in_other_scripts_are_kept(address: str) -> None:
    assert parse_email(address) == address
