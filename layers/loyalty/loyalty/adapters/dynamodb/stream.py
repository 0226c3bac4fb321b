"""The table's stream records (NEW_AND_OLD_IMAGES, as Lambda hands them over), read as the writes they show."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from loyalty.adapters.dynamodb.businesses import brand_from_item
from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.pass_items import change_note_from_plain, pass_from_plain
from loyalty.adapters.dynamodb.wallet_delivery import wallet_count_change
from loyalty.app.ports.brand import BusinessWritten
from loyalty.app.ports.delivery import WalletCountChange
from loyalty.app.ports.ledger import OfferWritten, PassWritten
from loyalty.domain.brand import DEFAULT_BRAND, BusinessProfile


class StreamRecord:
    """One record, decoded only when asked (a record that cannot be read fails where it is handled), each image
    once: the ledger function's consumers (ledger, directory, wallet counts, campaign wins) each read the record."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = raw
        self._decoded: dict[str, dict[str, Any] | None] = {}
        self._written: tuple[OfferWritten | PassWritten | None] | None = None

    @property
    def sequence_number(self) -> str:
        return str(self._raw["dynamodb"]["SequenceNumber"])

    def _image(self, which: str) -> dict[str, Any] | None:
        """The image decoded (kept: the readers of a record only read it); a copy, so no reader changes another's."""
        if which not in self._decoded:
            image = self._raw.get("dynamodb", {}).get(which)
            self._decoded[which] = from_item(image) if image else None
        decoded = self._decoded[which]
        return dict(decoded) if decoded is not None else None

    def written(self) -> OfferWritten | PassWritten | None:
        """What the record shows written (read once: its readers share the frozen result)."""
        if self._written is None:
            self._written = (self._read_written(),)
        return self._written[0]

    def _read_written(self) -> OfferWritten | PassWritten | None:
        new = self._image("NewImage")
        if new is None:  # a removal
            return None
        entity = new.get("entity")
        if entity == "OFFER":
            old = self._image("OldImage")
            return OfferWritten(offer_from_item(old) if old else None, offer_from_item(new))
        if entity == "PASS":
            old = self._image("OldImage")
            return PassWritten(
                pass_from_plain(old) if old else None, pass_from_plain(new), change_note_from_plain(new)
            )
        return None

    def business_written(self) -> BusinessWritten | None:
        """The business's own item (names and brand); None for any other item."""
        new = self._image("NewImage")
        if new is None or new.get("entity") != "BUSINESS":
            return None
        old = self._image("OldImage")
        return BusinessWritten(_profile(old) if old else None, _profile(new))

    def wallet_count_change(self) -> WalletCountChange | None:
        """How a write of a pass's delivery record moves its offer's `wallets` counts, if it does."""
        return wallet_count_change(self._image("OldImage"), self._image("NewImage"))

    def created_issuance(self) -> str | None:
        """Read from the raw image: the dispatcher decodes nothing else of the record."""
        image = self._raw.get("dynamodb", {}).get("NewImage") or {}
        if self._raw.get("eventName") != "INSERT" or image.get("entity", {}).get("S") != "ISSUANCE":
            return None
        return str(image["issuanceId"]["S"])


def _profile(item: Mapping[str, Any]) -> BusinessProfile:
    brand = brand_from_item(item["brand"]) if item.get("brand") is not None else DEFAULT_BRAND
    name_ar = item.get("nameAr")
    return BusinessProfile(
        str(item["businessId"]), str(item.get("name") or ""), name_ar and str(name_ar), brand
    )


def stream_records(records: Iterable[Mapping[str, Any]]) -> list[StreamRecord]:
    return [StreamRecord(record) for record in records]
