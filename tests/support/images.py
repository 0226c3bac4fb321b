"""Images made on the spot for the brand tests: real encodings, never fixtures copied from elsewhere."""

from __future__ import annotations

import io

from PIL import Image


def encoded(width: int, height: int, fmt: str = "PNG", color: str = "#C0392B", **options: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, format=fmt, **options)
    return buffer.getvalue()


def animated_png(width: int = 300, height: int = 300) -> bytes:
    frames = [Image.new("RGB", (width, height), color) for color in ("#FF0000", "#00FF00")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="PNG", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def decompression_bomb() -> bytes:
    """A PNG of a few kilobytes that decodes to 400 megapixels (a blank 1-bit canvas compresses to almost nothing)."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500"/></svg>'
)
