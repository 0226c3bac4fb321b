"""The pass's images: PNG files shipped in this package (`assets/`), a stamp (a ring around a dot) on the card's
colour. Wallet requires `icon.png` (29 pt) and shows `logo.png` (50 pt, beside the logo text); each comes at
@1x, @2x and @3x so Wallet can pick one by screen. Every pass carries the same bytes."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

IMAGES = tuple(f"{name}{suffix}.png" for name in ("icon", "logo") for suffix in ("", "@2x", "@3x"))


@cache
def pass_images() -> dict[str, bytes]:
    """Every image of the pass by its name inside the `.pkpass`, read once per container."""
    assets = files(__package__) / "assets"
    return {name: (assets / name).read_bytes() for name in IMAGES}
