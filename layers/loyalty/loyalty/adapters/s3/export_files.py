"""Members exports in S3, written as a multipart upload so that the worker holds one part at a time, whatever
the file's size.

S3's rules for a multipart upload (Amazon S3 User Guide, "Amazon S3 multipart upload limits",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html): every part but the last is at least 5 MiB,
at most 10,000 parts. A file smaller than one part is a single last part. The download is a presigned GET
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html) whose expiry S3 enforces;
the object's Content-Disposition names the file the browser saves."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

PART_BYTES = 5 * 1024 * 1024
CONTENT_TYPE = "text/csv; charset=utf-8"


def content_disposition(download_name: str) -> str:
    """An attachment with an ASCII fallback name and the real one in RFC 6266's `filename*` (Arabic names)."""
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in download_name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(download_name, safe='')}"


class S3ExportFile:
    """An `ExportFile`: bytes gathered up to a part's size, each full part uploaded and forgotten."""

    def __init__(self, client: Any, bucket: str, key: str, download_name: str) -> None:
        self._s3 = client
        self._bucket = bucket
        self._key = key
        self._upload_id: str = client.create_multipart_upload(
            Bucket=bucket,
            Key=key,
            ContentType=CONTENT_TYPE,
            ContentDisposition=content_disposition(download_name),
        )["UploadId"]
        self._parts: list[dict[str, Any]] = []
        self._pending = bytearray()

    def write(self, chunk: bytes) -> None:
        self._pending += chunk
        if len(self._pending) >= PART_BYTES:
            self._upload_part()

    def finish(self) -> None:
        if self._pending or not self._parts:
            self._upload_part()
        self._s3.complete_multipart_upload(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )

    def abandon(self) -> None:
        self._s3.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id)
        self._pending.clear()

    def _upload_part(self) -> None:
        number = len(self._parts) + 1
        answer = self._s3.upload_part(
            Bucket=self._bucket,
            Key=self._key,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=bytes(self._pending),
        )
        self._parts.append({"PartNumber": number, "ETag": answer["ETag"]})
        self._pending.clear()


class S3ExportFiles:
    """An `ExportFiles`."""

    def __init__(self, client: Any, bucket: str) -> None:
        self._s3 = client
        self._bucket = bucket

    def open(self, key: str, *, download_name: str) -> S3ExportFile:
        return S3ExportFile(self._s3, self._bucket, key, download_name)

    def download_link(self, key: str, *, seconds: int) -> str:
        link: str = self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=seconds
        )
        return link
