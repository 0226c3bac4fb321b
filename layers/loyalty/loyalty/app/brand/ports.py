"""What the brand context needs from the world: the businesses' profiles (names and brand) and where a brand
image is served. The businesses' own records are issue 22's; this port is the one place their name is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from loyalty.domain.brand import Brand, BusinessProfile


class BusinessProfiles(Protocol):
    def profile(self, business_id: str) -> BusinessProfile | None:
        """The business's names and brand; None when the business has no profile yet."""
        ...

    def save_brand(self, business_id: str, brand: Brand, *, at: str) -> None: ...


# The public HTTPS address of one rendition of a brand image (`logo@2x.png`, `google-logo.png`, …), on the web
# origin: Google fetches the images of a pass from there, the join page and the poster show them.
ImageUrl = Callable[[str, str], str]
