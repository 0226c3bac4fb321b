"""Brand images are decoded for real and redrawn at Apple's and Google's sizes, or refused in words."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from loyalty.adapters.images.renditions import renditions
from loyalty.domain.brand import ImageKind, UnusableImage
from tests.support.images import SVG, animated_png, decompression_bomb, encoded


def sizes(files: dict[str, bytes]) -> dict[str, tuple[int, int]]:
    out = {}
    for name, data in files.items():
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG"
        out[name] = image.size
    return out


def test_a_logo_is_drawn_at_every_apple_scale_and_as_google_program_logo() -> None:
    files = renditions(encoded(1200, 400, "JPEG"), ImageKind.LOGO, "#1C1C24")
    assert sizes(files) == {
        "logo.png": (150, 50),
        "logo@2x.png": (300, 100),
        "logo@3x.png": (450, 150),
        "google-logo.png": (660, 660),
    }


def test_an_icon_fills_its_square_and_a_strip_its_band() -> None:
    assert sizes(renditions(encoded(200, 300, "WEBP"), ImageKind.ICON, "#000000")) == {
        "icon.png": (29, 29),
        "icon@2x.png": (58, 58),
        "icon@3x.png": (87, 87),
    }
    assert sizes(renditions(encoded(1600, 600), ImageKind.STRIP, "#000000")) == {
        "strip.png": (375, 123),
        "strip@2x.png": (750, 246),
        "strip@3x.png": (1125, 369),
        "google-hero.png": (1032, 336),
    }


def test_the_google_logo_sits_on_the_brand_background() -> None:
    files = renditions(encoded(600, 600, color="#FFFFFF"), ImageKind.LOGO, "#0A3D62")
    corner = Image.open(io.BytesIO(files["google-logo.png"])).convert("RGB").getpixel((2, 2))
    assert corner == (0x0A, 0x3D, 0x62)


def test_what_is_kept_carries_none_of_the_upload_metadata() -> None:
    upload = encoded(600, 600, "PNG", pnginfo=_text_chunk("Author", "someone@example.com"))
    assert b"someone@example.com" in upload
    assert all(
        b"someone@example.com" not in data for data in renditions(upload, ImageKind.LOGO, "#000000").values()
    )


@pytest.mark.parametrize(
    ("upload", "kind", "words"),
    [
        (SVG, ImageKind.LOGO, "not a PNG, JPEG or WebP"),
        (b"%PDF-1.7 not an image at all", ImageKind.LOGO, "not a PNG, JPEG or WebP"),
        (encoded(400, 400, "GIF"), ImageKind.LOGO, "not a PNG, JPEG or WebP"),
        (encoded(400, 400)[:200], ImageKind.LOGO, "could not be read"),
        (animated_png(), ImageKind.LOGO, "animated"),
        (encoded(40, 40), ImageKind.ICON, "at least 87 x 87"),
        (encoded(600, 200), ImageKind.STRIP, "at least 750 x 246"),
    ],
    ids=["svg", "pdf", "gif", "truncated", "animated", "small-icon", "small-strip"],
)
def test_an_unusable_upload_is_refused_saying_why(upload: bytes, kind: ImageKind, words: str) -> None:
    with pytest.raises(UnusableImage, match=words):
        renditions(upload, kind, "#000000")


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    bomb = decompression_bomb()
    assert len(bomb) < 100_000
    with pytest.raises(UnusableImage, match="too large"):
        renditions(bomb, ImageKind.STRIP, "#000000")


def _text_chunk(key: str, value: str) -> object:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text(key, value)
    return info
