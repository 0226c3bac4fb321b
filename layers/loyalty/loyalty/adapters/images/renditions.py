"""A brand image checked and redrawn at every size a pass asks for.

What arrives is whatever a browser uploaded: it is decoded for real (never trusted by its name or content type),
refused when it is not a PNG, JPEG or WebP raster (an SVG is not decoded at all), animated, too small for the slot it
fills, or larger in pixels than any photo a phone takes (a small file that would inflate to gigabytes: a
decompression bomb). What is kept is never the upload itself: each size is drawn anew and written as a plain PNG,
without the upload's metadata.

Sizes, in points at @1x, @2x and @3x (Apple, "Pass Design and Creation", Wallet Developer Guide,
https://developer.apple.com/library/archive/documentation/UserExperience/Conceptual/PassKit_PG/Creating.html):
logo at most 160 x 50, icon 29 x 29, a store card's strip 375 x 123. Google Wallet's loyalty class: a program logo
of 660 x 660 and a hero image of 1032 x 336 (https://developers.google.com/wallet/retail/loyalty-cards/resources/
brand-guidelines and .../design).
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from enum import Enum

from PIL import Image, ImageOps, UnidentifiedImageError

from loyalty.domain.brand import ImageKind, UnusableImage

FORMATS = ("PNG", "JPEG", "WEBP")
# A 48-megapixel phone photo is 8064 x 6048; past this many pixels an upload is refused before it is decoded.
MAX_PIXELS = 50_000_000


class Fit(Enum):
    INSIDE = "inside"  # the whole image, no larger than the box (a logo keeps its shape)
    COVER = "cover"  # the box filled, the image cropped around its centre (icon, strip, hero)
    PADDED = "padded"  # the whole image centred on a square of the brand's background (Google's round logo)


@dataclass(frozen=True)
class Rendition:
    name: str
    width: int
    height: int
    fit: Fit


def _apple(base: str, width: int, height: int, fit: Fit) -> list[Rendition]:
    return [
        Rendition(f"{base}{suffix}.png", width * scale, height * scale, fit)
        for scale, suffix in ((1, ""), (2, "@2x"), (3, "@3x"))
    ]


RENDITIONS: dict[ImageKind, list[Rendition]] = {
    ImageKind.LOGO: [
        *_apple("logo", 160, 50, Fit.INSIDE),
        Rendition("google-logo.png", 660, 660, Fit.PADDED),
    ],
    ImageKind.ICON: _apple("icon", 29, 29, Fit.COVER),
    ImageKind.STRIP: [
        *_apple("strip", 375, 123, Fit.COVER),
        Rendition("google-hero.png", 1032, 336, Fit.COVER),
    ],
}

# The least an upload must measure: enough for the largest size drawn from it without blowing it up much.
MINIMUM: dict[ImageKind, tuple[int, int]] = {
    ImageKind.LOGO: (150, 50),
    ImageKind.ICON: (87, 87),
    ImageKind.STRIP: (750, 246),
}


def decode(data: bytes) -> Image.Image:
    """The image, fully decoded: a refusal for anything that is not a still PNG, JPEG or WebP of sane size."""
    with warnings.catch_warnings():
        # Pillow warns past MAX_IMAGE_PIXELS and raises only at twice that: both are refusals here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise UnusableImage(f"is too large: {image.width} x {image.height} pixels")
            if getattr(image, "n_frames", 1) > 1:
                raise UnusableImage("is animated; a pass shows a still image")
            image.load()
        except UnusableImage:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise UnusableImage("is too large in pixels for a brand image") from error
        except UnidentifiedImageError as error:
            raise UnusableImage("is not a PNG, JPEG or WebP image") from error
        except (OSError, SyntaxError, ValueError) as error:  # truncated or corrupt data
            raise UnusableImage("could not be read as an image") from error
    return ImageOps.exif_transpose(image) or image


def renditions(data: bytes, kind: ImageKind, background: str) -> dict[str, bytes]:
    """Every size the slot needs, by file name, each a fresh PNG drawn from the decoded upload."""
    image = decode(data)
    least_width, least_height = MINIMUM[kind]
    if image.width < least_width or image.height < least_height:
        raise UnusableImage(
            f"is {image.width} x {image.height} pixels; a {kind.value} needs at least "
            f"{least_width} x {least_height}"
        )
    rgba = image.convert("RGBA")
    return {rendition.name: _png(_draw(rgba, rendition, background)) for rendition in RENDITIONS[kind]}


def _draw(image: Image.Image, rendition: Rendition, background: str) -> Image.Image:
    box = (rendition.width, rendition.height)
    if rendition.fit is Fit.COVER:
        return ImageOps.fit(image, box, Image.Resampling.LANCZOS)
    inside = ImageOps.contain(image, box, Image.Resampling.LANCZOS)
    if rendition.fit is Fit.INSIDE:
        return inside
    square = Image.new("RGBA", box, background)
    margin = ImageOps.contain(image, (box[0] * 3 // 4, box[1] * 3 // 4), Image.Resampling.LANCZOS)
    square.alpha_composite(margin, ((box[0] - margin.width) // 2, (box[1] - margin.height) // 2))
    return square


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
