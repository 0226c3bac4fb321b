"""The business as its customers see it (owner; managers read): GET and PATCH /api/business (names and brand),
POST /api/business/images (a presigned upload for a brand image). A brand change redraws every pass of the
business, quietly."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.brand.brand_images import set_business_brand, start_upload
from loyalty.app.brand.public_offer import LOGO_RENDITION, business_profile
from loyalty.bootstrap import (
    brand_image_url,
    brand_images,
    brand_refresh,
    business_profiles,
    draw_renditions,
)
from loyalty.domain.brand import BusinessProfile
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.brand_contract import (
    BusinessAnswer,
    BusinessEdit,
    ImageUpload,
    ImageUploadRequest,
    brand_model,
)
from loyalty.entrypoints.http.contract import failure, ok, responses

app = new_api()
TAGS = ["Business"]


def _answer(profile: BusinessProfile) -> dict[str, Any]:
    logo = profile.brand.logo_image_id
    return BusinessAnswer(
        business_id=profile.business_id,
        name=profile.name,
        name_ar=profile.name_ar,
        brand=brand_model(profile.brand, brand_image_url(logo, LOGO_RENDITION) if logo else None),
    ).model_dump(mode="json")


@app.get(
    "/api/business",
    summary="The caller's business: its names and brand",
    operation_id="getBusiness",
    tags=TAGS,
    responses=responses({200: ok(BusinessAnswer, "The business")}, 401, 403),
)
def read() -> dict[str, Any]:
    reader = current_principal(app).require(Role.MANAGER)
    return _answer(business_profile(business_profiles(), reader.business_id))


@app.patch(
    "/api/business",
    summary="Edit the business's names and brand (owner)",
    operation_id="editBusiness",
    tags=TAGS,
    responses=responses(
        {200: ok(BusinessAnswer, "The business as edited")},
        400,
        401,
        403,
        413,
        (
            422,
            failure(
                422,
                "A field is not valid (VALIDATION_ERROR), a brand image unusable or not this business's "
                "(IMAGE_INVALID), or a text colour too close to the background (LOW_CONTRAST)",
            ),
        ),
    ),
)
def edit(changes: Annotated[BusinessEdit, Body()]) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    at = to_iso(utc_now())
    profiles = business_profiles()
    if changes.brand is not None:
        fields = changes.brand.model_dump(exclude_unset=True)
        set_business_brand(
            profiles,
            brand_images(),
            draw_renditions(),
            owner.business_id,
            fields,
            at=at,
            brand_changed=brand_refresh(),
        )
    if changes.name is not None or "name_ar" in changes.model_fields_set:
        current = business_profile(profiles, owner.business_id)
        name_ar = changes.name_ar if "name_ar" in changes.model_fields_set else current.name_ar
        profiles.put_names(owner.business_id, changes.name or current.name, name_ar or None, at=at)
    return _answer(business_profile(profiles, owner.business_id))


@app.post(
    "/api/business/images",
    summary="A presigned upload for a brand image (owner)",
    operation_id="uploadBrandImage",
    tags=TAGS,
    responses=responses(
        {201: ok(ImageUpload, "POST the file to `upload.url` with `upload.fields` within 10 minutes (5 MB)")},
        400,
        401,
        403,
        413,
        422,
    ),
)
def upload(request: Annotated[ImageUploadRequest, Body()]) -> Response[Any]:
    owner = current_principal(app).require(Role.OWNER)
    ticket = start_upload(brand_images(), owner.business_id, request.content_type)
    answer = ImageUpload.model_validate(
        {"imageId": ticket.image_id, "upload": {"url": ticket.upload.url, "fields": ticket.upload.fields}}
    )
    return json_response(201, answer.model_dump(mode="json"))


handler = lambda_entry(app)
