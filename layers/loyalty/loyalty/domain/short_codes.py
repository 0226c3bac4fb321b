"""The short code printed under a pass's barcode: what a customer reads out or a manager types at the counter.

Eight characters from an alphabet without the look-alikes (0/O, 1/I/L), drawn from the pass's own address, so
every pass has one from the day it was made, old passes included, and it never changes."""

from __future__ import annotations

import hashlib

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8
_SEPARATORS = str.maketrans("", "", " -_\u00a0")


def short_code(customer_id: str, offer_id: str) -> str:
    """The pass's code: a hash of its address written in the alphabet (31^8, about 8.5e11 codes)."""
    number = int.from_bytes(hashlib.sha256(f"{customer_id}:{offer_id}".encode()).digest()[:8], "big")
    characters = []
    for _ in range(LENGTH):
        number, digit = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[digit])
    return "".join(characters)


def typed_short_code(text: str) -> str | None:
    """What a person typed, as a code (upper case, spaces and dashes dropped), or None when it cannot be one."""
    code = text.upper().translate(_SEPARATORS)
    if len(code) != LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code
