"""The document's patterns say what the server's own rules say: for any text made of characters the patterns can
name (the BMP, private use aside), the pattern matches exactly when the rule accepts (issue 20: the OpenAPI
document no looser, and no stricter, than the server)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loyalty.domain.customers import (
    InvalidEmail,
    InvalidName,
    email_pattern,
    name_pattern,
    parse_email,
    parse_name,
)
from loyalty.domain.errors import ValidationFailed
from loyalty.entrypoints.http.contract import NOT_ONLY_SPACES
from loyalty.entrypoints.http.params import _KEY_PATTERN, _idempotency_key

NAMEABLE = st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs", "Co"))
EMAILS = re.compile(email_pattern())
NAMES = re.compile(name_pattern())
KEYS = re.compile(_KEY_PATTERN)


def _accepts(rule, value: str) -> bool:  # type: ignore[no-untyped-def]
    try:
        rule(value)
    except (InvalidEmail, InvalidName, ValidationFailed):
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(
    local=st.text(NAMEABLE, min_size=1, max_size=8),
    domain=st.text(NAMEABLE, min_size=1, max_size=6),
    top=st.text(NAMEABLE, min_size=1, max_size=4),
)
def test_an_email_the_pattern_takes_is_one_the_server_takes(local: str, domain: str, top: str) -> None:
    # One way only: the pattern also refuses characters NFKC would turn into several (a `¼`), which the server
    # reads as the characters they become.
    email = f"{local}@{domain}.{top}"
    if EMAILS.match(email):
        assert _accepts(parse_email, email), ascii(email)


@settings(max_examples=400, deadline=None)
@given(st.text(NAMEABLE, min_size=1, max_size=6))
def test_the_name_pattern_is_parse_names_rule(name: str) -> None:
    assert bool(NAMES.match(name)) == _accepts(parse_name, name), ascii(name)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(max_codepoint=0xFF), min_size=1, max_size=6))
def test_the_key_pattern_is_the_headers_rule(key: str) -> None:
    assert bool(KEYS.match(key)) == _accepts(_idempotency_key, key), ascii(key)


@pytest.mark.parametrize("text", ["\x1f", " \t", "\u3000", "\x1c\x1d"])
def test_a_text_of_spaces_as_python_counts_them_does_not_fit(text: str) -> None:
    assert text.strip() == ""
    assert re.search(NOT_ONLY_SPACES, text) is None


def test_lookalikes_from_issue_20_do_not_fit_the_email_pattern() -> None:
    for invisible in ("\u034f", "\ufe0f", "\u3164"):
        assert not EMAILS.match(f"ja{invisible}ne@example.com"), unicodedata.name(invisible)


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("0\ufff0", False),  # an unassigned, default-ignorable code point draws nothing: a lookalike name
        ("A\u3164", False),  # the Hangul filler
        ("\u0645\u200c\u0631", True),  # a Persian spelling with its zero-width non-joiner
        ("Sara \u2764\ufe0f", True),  # an emoji with its presentation selector
    ],
)
def test_a_name_the_pattern_and_the_server_agree_on(name: str, taken: bool) -> None:
    assert _accepts(parse_name, name) is taken
    assert bool(NAMES.match(name)) is taken
