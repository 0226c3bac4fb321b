"""The contract's Brand and public offer card (docs/API.md "Brand", "Public offer card"), and their renderers."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from pydantic.alias_generators import to_camel
from pydantic.json_schema import SkipJsonSchema

from loyalty.app.brand.public_offer import PublicOfferView
from loyalty.domain.brand import Brand
from loyalty.domain.ids import id_pattern
from loyalty.entrypoints.http.blocks import HEX_COLOR, BrandAnswer
from loyalty.entrypoints.http.wire import ContractModel


class PublicBusiness(ContractModel):
    name: str
    name_ar: str | None
    brand: BrandAnswer


class PublicOffer(ContractModel):
    """What anyone may see of an offer before joining it."""

    offer_id: str
    name: str
    name_ar: str | None
    reward_description: str | None
    reward_description_ar: str | None
    stamps_required: int = Field(ge=1)
    status: Literal["ACTIVE", "ARCHIVED"]
    business: PublicBusiness


def brand_model(brand: Brand, logo_url: str | None) -> BrandAnswer:
    return BrandAnswer(
        logo_image_id=brand.logo_image_id,
        icon_image_id=brand.icon_image_id,
        strip_image_id=brand.strip_image_id,
        background_color=brand.background_color,
        foreground_color=brand.foreground_color,
        label_color=brand.label_color,
        logo_url=logo_url,
    )


def public_offer_model(pass_: PublicOfferView) -> PublicOffer:
    offer = pass_.offer
    return PublicOffer(
        offer_id=offer.offer_id,
        name=offer.name,
        name_ar=offer.name_ar,
        reward_description=offer.reward_description,
        reward_description_ar=offer.reward_description_ar,
        stamps_required=offer.stamps_required,
        status=offer.status.value,
        business=PublicBusiness(
            name=pass_.business.name,
            name_ar=pass_.business.name_ar,
            brand=brand_model(pass_.brand, pass_.logo_url),
        ),
    )


# ------------------------------------------------------------------------------------------------ brand editing


class ImageUploadRequest(ContractModel):
    kind: Literal["logo", "icon", "strip"]
    content_type: Literal["image/png", "image/jpeg", "image/webp"]


class UploadFormModel(ContractModel):
    url: str = Field(description="POST the form here")
    fields: dict[str, str] = Field(description="Form fields to send before the file (field `file`)")


class ImageUpload(ContractModel):
    image_id: str
    upload: UploadFormModel


# An upload's image id (`img_…`), as the domain checks it: documented only, the domain's rule runs.
ImageId = Annotated[str, Field(json_schema_extra={"pattern": id_pattern("img")})]


class BrandDraft(ContractModel):
    """Any of a brand's fields; those not sent are kept. Checked whole: contrast, images usable and this
    business's."""

    logo_image_id: ImageId | None = None
    icon_image_id: ImageId | None = None
    strip_image_id: ImageId | None = None
    background_color: Annotated[str, Field(pattern=HEX_COLOR)] | SkipJsonSchema[None] = None
    foreground_color: Annotated[str, Field(pattern=HEX_COLOR)] | SkipJsonSchema[None] = None
    label_color: Annotated[str, Field(pattern=HEX_COLOR)] | SkipJsonSchema[None] = None
    logo_url: str | None = Field(default=None, description="Read-only: ignored when sent back")

    @model_validator(mode="after")
    def _colours_are_never_null(self) -> Self:
        # A colour left out keeps its value; a brand always has its three colours, so null is refused (422).
        for name in ("background_color", "foreground_color", "label_color"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{to_camel(name)} may not be null")
        return self
