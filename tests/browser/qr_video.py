"""A Y4M video (what Chromium's fake camera plays) of a QR code, written without any video library."""

from __future__ import annotations

from pathlib import Path

import segno

WIDTH, HEIGHT = 640, 480
DARK, LIGHT, GREY = 16, 235, 128


def write_qr_video(text: str, path: Path, frames: int = 10) -> Path:
    """`frames` identical 4:2:0 frames showing `text` as a QR code, centred on a white page."""
    rows = [list(row) for row in segno.make(text, error="m").matrix_iter(scale=8, border=4)]
    size = len(rows)
    assert size <= HEIGHT, "the QR code must fit the frame"
    top, left = (HEIGHT - size) // 2, (WIDTH - size) // 2
    luma = bytearray([LIGHT]) * (WIDTH * HEIGHT)
    for y, row in enumerate(rows):
        start = (top + y) * WIDTH + left
        luma[start : start + size] = bytes(DARK if dark else LIGHT for dark in row)
    chroma = bytes([GREY]) * (WIDTH // 2 * HEIGHT // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)
    return path
