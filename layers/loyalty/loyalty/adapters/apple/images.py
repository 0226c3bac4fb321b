"""The pass's icon, drawn in code and encoded as PNG with zlib and struct: a stamp (a ring around a dot) on the
card's colour. Drawing is deterministic, so every pass carries byte-identical images."""

from __future__ import annotations

import math
import struct
import zlib
from functools import lru_cache

Colour = tuple[int, int, int]

BACKGROUND: Colour = (28, 28, 36)
STAMP: Colour = (240, 190, 60)
# Points of the icon at 1x; Wallet picks @2x/@3x by screen.
ICON_POINTS = 29
SCALES = (1, 2, 3)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode_png(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    """An 8-bit RGBA PNG; each row is `width * 4` bytes."""
    raw = b"".join(b"\x00" + row for row in rgba_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def _coverage(distance_inside: float) -> float:
    """How much of a pixel a shape covers, from the signed distance of its centre to the edge (anti-aliasing)."""
    return max(0.0, min(1.0, distance_inside + 0.5))


def _blend(under: Colour, over: Colour, amount: float) -> Colour:
    return (
        round(under[0] + (over[0] - under[0]) * amount),
        round(under[1] + (over[1] - under[1]) * amount),
        round(under[2] + (over[2] - under[2]) * amount),
    )


@lru_cache(maxsize=len(SCALES))
def stamp_icon(size: int) -> bytes:
    centre = size / 2
    corner = size * 0.22
    outer, ring_inner, dot = size * 0.38, size * 0.29, size * 0.17
    rows: list[bytes] = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            # Rounded square: distance to the square shrunk by the corner radius, minus that radius.
            qx = max(abs(px - centre) - (centre - corner), 0.0)
            qy = max(abs(py - centre) - (centre - corner), 0.0)
            alpha = _coverage(corner - math.hypot(qx, qy))
            r = math.hypot(px - centre, py - centre)
            ring = min(_coverage(outer - r), _coverage(r - ring_inner))
            colour = _blend(BACKGROUND, STAMP, max(ring, _coverage(dot - r)))
            row += bytes((*colour, round(alpha * 255)))
        rows.append(bytes(row))
    return encode_png(size, size, rows)


def pass_images() -> dict[str, bytes]:
    """`icon.png` (required by Wallet) at every scale."""
    images: dict[str, bytes] = {}
    for scale in SCALES:
        suffix = "" if scale == 1 else f"@{scale}x"
        images[f"icon{suffix}.png"] = stamp_icon(ICON_POINTS * scale)
    return images
