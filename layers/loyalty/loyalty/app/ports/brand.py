"""What the brand context needs from the world: the businesses' profiles (names and brand) and where a brand
image is served. The businesses' own records are issue 22's; this port is the one place their name is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from loyalty.domain.brand import Brand, BusinessProfile, ImageKind


class BusinessProfiles(Protocol):
    def profile(self, business_id: str) -> BusinessProfile | None:
        """The business's names and brand; None when the business has no profile yet."""
        ...

    def save_brand(self, business_id: str, brand: Brand, *, at: str) -> None: ...


# The public HTTPS address of one rendition of a brand image (`logo@2x.png`, `google-logo.png`, …), on the web
# origin: Google fetches the images of a pass from there, the join page and the poster show them.
ImageUrl = Callable[[str, str], str]


@dataclass(frozen=True)
class UploadForm:
    """A presigned POST: the browser sends the file to `url` as a form with these fields, then the file."""

    url: str
    fields: dict[str, str]


class BrandImages(Protocol):
    """Where brand images are kept: each business's uploads, and the sizes drawn from them (served publicly)."""

    def upload_form(
        self, business_id: str, image_id: str, content_type: str, *, max_bytes: int, expires_in: int
    ) -> UploadForm: ...

    def uploaded(self, business_id: str, image_id: str, *, max_bytes: int) -> bytes | None:
        """The upload's bytes; None when this business uploaded no such image (another's is not found either).
        Raises UnusableImage when it is larger than `max_bytes`."""
        ...

    def keep_renditions(self, image_id: str, files: dict[str, bytes]) -> None: ...

    def rendition(self, image_id: str, name: str) -> bytes | None: ...


@dataclass(frozen=True)
class BusinessWritten:
    """A business's item as the table's stream shows it written: what its passes show of it, before and after
    (`old` None for a new business)."""

    old: BusinessProfile | None
    new: BusinessProfile

    @property
    def face_changed(self) -> bool:
        """Whether the passes would look different: the names or the brand."""
        return self.old is not None and self.old != self.new


# Draws every size a slot needs from an upload, on the brand's background (UnusableImage when it cannot).
DrawRenditions = Callable[[bytes, ImageKind, str], dict[str, bytes]]
