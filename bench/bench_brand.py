"""Brands: a pass built and signed with the business's own images beside one with the bundled images, and the join
page's first load (the script and styles the browser fetches for /join/{offerId}, as gzip sends them)."""

from __future__ import annotations

import gzip
import io
import re
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from PIL import Image

from bench.figures import Figure
from bench.loaders import apple_pass_makings
from loyalty.adapters.apple.content import PassLook, pass_document, pass_face
from loyalty.adapters.apple.package import build_pkpass
from loyalty.adapters.images.renditions import renditions
from loyalty.domain.brand import ImageKind
from loyalty_local.cloud.template import REPO_ROOT

BUILDS = 100
REPEATS = 3
WEB_DIST = REPO_ROOT / "web/dist"


def _photo(width: int, height: int) -> bytes:
    """A busy image (a gradient under grain), so the drawn PNGs weigh what a real logo or photo would."""
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.blend(gradient, Image.effect_noise((width, height), 40), 0.25).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _median_build_ms(build: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        for _ in range(BUILDS):
            build()
        samples.append((time.perf_counter() - started) / BUILDS)
    return statistics.median(samples) * 1000


def join_page_first_load_kib() -> float:
    """The entry script and stylesheets index.html names (the join route is in the entry bundle), gzipped."""
    index = (WEB_DIST / "index.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', index)
    if not assets:
        raise SystemExit("web/dist has no built app: run `make web` first")
    return sum(len(gzip.compress((WEB_DIST / asset).read_bytes(), 9)) for asset in assets) / 1024


def run() -> list[Figure]:
    makings = apple_pass_makings()
    credentials, offer, pass_, issuer = (
        makings.credentials,
        makings.offer,
        makings.pass_,
        makings.issuer,
    )
    look = PassLook("Bean There", "بين ذير", "#FFF8E7", "#3B2314", "#6B4226")
    images: dict[str, bytes] = {}
    for kind, box in (
        (ImageKind.LOGO, (1200, 400)),
        (ImageKind.ICON, (300, 300)),
        (ImageKind.STRIP, (1500, 500)),
    ):
        drawn = renditions(_photo(*box), kind, look.background_color)
        images.update({name: data for name, data in drawn.items() if not name.startswith("google-")})
    face = pass_face(pass_, offer, offer.ladder.standing(0), 90)
    now = datetime.now(UTC)
    plain = _median_build_ms(lambda: build_pkpass(pass_document(face, issuer), credentials, now))
    branded = _median_build_ms(
        lambda: build_pkpass(pass_document(face, issuer, look), credentials, now, images)
    )
    size = len(build_pkpass(pass_document(face, issuer, look), credentials, now, images))
    return [
        Figure("pkpass build without brand images", plain, "ms", "bundled icon and logo"),
        Figure("pkpass build with brand images", branded, "ms", "logo, icon, strip at @1x-@3x"),
        Figure("pkpass size with brand images", size / 1024, "KiB"),
        Figure("join page first load", join_page_first_load_kib(), "KB", "gzip, script and styles"),
    ]
