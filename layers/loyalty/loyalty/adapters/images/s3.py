"""Brand images in S3: uploads under `uploads/<businessId>/<imageId>` (the business is in the key, so an image id
of another business is simply not found), the sizes drawn from them under `brand-images/<imageId>/<name>`, the
prefix the web origin serves publicly.

The presigned POST's policy bounds what S3 itself accepts (Amazon S3 User Guide, "Creating a POST policy",
https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html): the exact key, the content
type, a `content-length-range` and an expiry."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from loyalty.app.ports.brand import UploadForm
from loyalty.domain.brand import UnusableImage

PUBLIC_PREFIX = "brand-images"


def upload_key(business_id: str, image_id: str) -> str:
    return f"uploads/{business_id}/{image_id}"


def rendition_key(image_id: str, name: str) -> str:
    return f"{PUBLIC_PREFIX}/{image_id}/{name}"


def _missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")


class S3BrandImages:
    """A `BrandImages`."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def upload_form(
        self, business_id: str, image_id: str, content_type: str, *, max_bytes: int, expires_in: int
    ) -> UploadForm:
        key = upload_key(business_id, image_id)
        post = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"Content-Type": content_type},
                ["content-length-range", 1, max_bytes],
            ],
            ExpiresIn=expires_in,
        )
        return UploadForm(url=str(post["url"]), fields={k: str(v) for k, v in post["fields"].items()})

    def uploaded(self, business_id: str, image_id: str, *, max_bytes: int) -> bytes | None:
        key = upload_key(business_id, image_id)
        try:
            head = self._s3.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if _missing(error):
                return None
            raise
        if int(head["ContentLength"]) > max_bytes:
            raise UnusableImage(f"is larger than {max_bytes // (1024 * 1024)} MB")
        # Read at most what the head promised: an object replaced in between cannot make us read more.
        body = self._s3.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{max_bytes}")["Body"]
        data: bytes = body.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise UnusableImage(f"is larger than {max_bytes // (1024 * 1024)} MB")
        return data

    def keep_renditions(self, image_id: str, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            self._s3.put_object(
                Bucket=self._bucket,
                Key=rendition_key(image_id, name),
                Body=data,
                ContentType="image/png",
                # Drawn again under the same name only when the brand's background changes (Google's logo).
                CacheControl="public, max-age=3600",
            )

    def rendition(self, image_id: str, name: str) -> bytes | None:
        try:
            answer = self._s3.get_object(Bucket=self._bucket, Key=rendition_key(image_id, name))
        except ClientError as error:
            if _missing(error):
                return None
            raise
        data: bytes = answer["Body"].read()
        return data
