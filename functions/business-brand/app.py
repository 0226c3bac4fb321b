"""POST /api/business/images (owner): a presigned upload for a brand image. The brand that names it is saved with
PATCH /api/business (functions/business), which checks the image then."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body

from loyalty.app.brand.brand_images import start_upload
from loyalty.bootstrap import (
    brand_images,
)
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.brand_contract import (
    ImageUpload,
    ImageUploadRequest,
)
from loyalty.entrypoints.http.wire import ok, responses

app = new_api()
TAGS = ["Business"]


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
