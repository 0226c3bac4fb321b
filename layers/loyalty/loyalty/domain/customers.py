"""Who a customer is: the email they are known by and the name they give.

One customer per business and email, so two spellings of one address must be one key: emails are compared after
Unicode NFKC (fullwidth `ｊａｎｅ＠…` is `jane@…`), trimming and lower-casing. Characters nobody can see (zero-width
spaces, bidi marks, soft hyphens, BOMs) and control characters would make a second customer that looks exactly
like the first, so an email carrying any (Unicode's default-ignorable code points among them, whatever their
category) is refused rather than silently cleaned: the sender gets told.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from itertools import chain

# Unicode categories nobody sees: controls (C0/C1), formats (zero-width, bidi marks, soft hyphen, BOM),
# surrogates, private use, line and paragraph separators.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
# Joiners a name needs between letters (Persian, Indic scripts, emoji sequences); never alone, never in an email.
_NAME_JOINERS = frozenset({"\u200c", "\u200d"})
# Default-ignorable characters a name may hold: the joiners (Persian and Arabic spelling) and the variation
# selectors (an emoji's presentation). The rest draw nothing and make a lookalike name.
_NAME_IGNORABLE_KEPT = _NAME_JOINERS | frozenset(chr(c) for c in range(0xFE00, 0xFE10))
# Categories a reader sees as ink: letters, numbers, punctuation, symbols.
_VISIBLE_CATEGORIES = ("L", "N", "P", "S")
# ...except these, letters and symbols by category that draw nothing (Hangul fillers, the blank Braille pattern).
_BLANK_GLYPHS = frozenset({"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"})
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): drawn as nothing, whatever their category.
# Several are marks or letters (the combining grapheme joiner U+034F, the variation selectors U+FE00-FE0F, the
# Hangul filler U+3164), so the categories above miss them; in an email each would make a lookalike customer.
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


class InvalidEmail(ValueError):
    """Not one visible email address."""


class InvalidName(ValueError):
    """Empty to the eye, or carrying characters a reader cannot see."""


def _unseen(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    return any(unicodedata.category(ch) in _UNSEEN_CATEGORIES and ch not in allowed for ch in text)


def _ignorable(text: str) -> bool:
    return any(low <= ord(ch) <= high for ch in text for low, high in _DEFAULT_IGNORABLE)


def _name_ignorable(ch: str) -> bool:
    return ch not in _NAME_IGNORABLE_KEPT and _ignorable(ch)


def canonical_email(email: str) -> str:
    """The form emails are compared and keyed in (NFKC, trimmed, lower-case); no check, for stored values."""
    return unicodedata.normalize("NFKC", email).strip().lower()


def parse_email(raw: str) -> str:
    """A client's email as the one canonical address it names, or InvalidEmail."""
    if _unseen(raw) or _ignorable(raw):
        raise InvalidEmail("contains invisible or control characters")
    email = canonical_email(raw)
    if _unseen(email) or _ignorable(email) or not _EMAIL.match(email):
        raise InvalidEmail("is not an email address")
    return email


def parse_name(raw: str) -> str:
    """A customer's name as given (NFC, trimmed), or InvalidName when a reader would see nothing or be misled."""
    if _unseen(raw, allowed=_NAME_JOINERS) or any(_name_ignorable(ch) for ch in raw):
        raise InvalidName("contains invisible or control characters")
    name = unicodedata.normalize("NFC", raw).strip()
    if not any(
        unicodedata.category(ch).startswith(_VISIBLE_CATEGORIES) and ch not in _BLANK_GLYPHS for ch in name
    ):
        raise InvalidName("must contain a visible character")
    return name


def _keeps_its_shape(ch: str) -> bool:
    """Canonical, `ch` is still one character, and neither `@`, a space nor unseen."""
    canonical = unicodedata.normalize("NFKC", ch).lower()  # not trimmed: a character may become " ̄"
    return (
        len(canonical) == 1
        and canonical != "@"
        and not canonical.isspace()
        and not _unseen(canonical)
        and not _ignorable(canonical)
    )


# The document's patterns name characters as `\uXXXX` ranges, read alike by ECMA-262 and Python, so they can name
# only the BMP. They also leave out the private-use block and the surrogates (thousands of code points that
# would make every client's pattern huge): an email or a name with one of those may match the pattern and still
# be refused, never the other way round.
# Both lie in fixed blocks of the BMP (Unicode never moves them): the surrogates U+D800..U+DFFF and the private-use
# area U+E000..U+F8FF, the only code points of the BMP in categories Cs and Co.
_LEFT_OUT = range(0xD800, 0xF900)
# The end of the text, for ECMA-262 and Python alike (Python's `$` also matches before a last newline).
END = "$(?!\\n)"


def bmp_class(take: Callable[[str], bool], last: int = 0xFFFF) -> str:
    """The BMP characters up to `last` that `take` takes (private use and surrogates aside), as `\\uXXXX` ranges
    of a class. A cold start pays for the calls of `take` (a class of spaces is made at import): a builtin such as
    `str.isspace` runs in C, and `last` spares a rule about Latin-1 the rest of the plane."""
    named = chain(range(min(_LEFT_OUT.start, last + 1)), range(_LEFT_OUT.stop, last + 1))
    ranges: list[list[int]] = []
    for ch in filter(take, map(chr, named)):
        code = ord(ch)
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


@cache  # a scan of the BMP: made once, and only when a document is
def email_pattern() -> str:
    """`parse_email`'s rule as a pattern for the OpenAPI document: a local part of 1..64 characters, `@`, a domain
    with a dot and at least two characters after its last dot; no character unseen or ignorable, none that NFKC or
    lower-casing turns into several characters or into an unusable one (a fullwidth `＠` cannot change the
    address's shape), no `@`, no space."""
    refused = bmp_class(lambda ch: ch == "@" or ch.isspace() or not _keeps_its_shape(ch))
    return f"^[^{refused}]{{1,64}}@[^{refused}]+\\.[^{refused}]{{2,}}{END}"


@cache
def name_pattern() -> str:
    """`parse_name`'s rule as a pattern for the OpenAPI document: nothing unseen (the joiners aside), and at least
    one character a reader sees as ink (not a space, a mark, an unassigned code point or a blank glyph)."""
    unseen = bmp_class(lambda ch: _unseen(ch, allowed=_NAME_JOINERS) or _name_ignorable(ch))
    blank = bmp_class(
        lambda ch: not unicodedata.category(ch).startswith(_VISIBLE_CATEGORIES) or ch in _BLANK_GLYPHS
    )
    return f"^[^{unseen}]*[^{blank}][^{unseen}]*{END}"
