"""Brand images on the local stack: the template's buckets in moto's S3 (server mode, a real S3 API: presigned
POSTs, policies, CORS), the functions pointed at it, and `/brand-images/…` served from the bucket at the web
origin, as CloudFront serves it deployed."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loyalty_local.cloud.template import load_template

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

PUBLIC_PREFIX = "/brand-images/"
# Under the stack's data folder: the buckets' objects between two runs.
SAVED_OBJECTS = "s3"
_PUBLIC_PATH = re.compile(r"^/brand-images/(img_[a-z0-9]{8,40})/([A-Za-z0-9@.-]{1,40}\.png)$")


def bucket_definitions(template: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
    """The `AWS::S3::Bucket` resources' properties, by logical id."""
    template = template or load_template()
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in template["Resources"].items()
        if resource.get("Type") == "AWS::S3::Bucket"
    }


def create_buckets(s3: Any, name_prefix: str, origin: str) -> dict[str, str]:
    """Every bucket of the template, with its CORS rules (the dashboard's origin is this stack's); the resource
    values (`Ref` is the name, `.Arn`) that the functions' environment resolves."""
    resources: dict[str, str] = {}
    for logical_id, props in bucket_definitions().items():
        name = f"{name_prefix}{logical_id}".lower()
        existing = {bucket["Name"] for bucket in s3.list_buckets().get("Buckets", [])}
        if name not in existing:
            s3.create_bucket(Bucket=name)
        rules = props.get("CorsConfiguration", {}).get("CorsRules", [])
        if rules:
            local_rules = [{**rule, "AllowedOrigins": [origin]} for rule in rules]
            s3.put_bucket_cors(
                Bucket=name,
                CORSConfiguration={
                    "CORSRules": [
                        {
                            "AllowedOrigins": rule["AllowedOrigins"],
                            "AllowedMethods": rule["AllowedMethods"],
                            "AllowedHeaders": rule.get("AllowedHeaders", []),
                            "MaxAgeSeconds": int(rule.get("MaxAge", 0)),
                        }
                        for rule in local_rules
                    ]
                },
            )
        resources.update({logical_id: name, f"{logical_id}.Arn": f"arn:aws:s3:::{name}"})
    return resources


def save_objects(s3: Any, buckets: dict[str, str], folder: Path) -> int:
    """Every object of the buckets into `folder/<logical id>/<key>` (moto keeps them in memory only), so the next
    `make run`, which keeps the table and so the brands naming them, finds the images too; how many."""
    saved = 0
    for logical_id, bucket in buckets.items():
        paginator = s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket):
            for listed in page.get("Contents", []):
                target = folder / logical_id / listed["Key"]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(s3.get_object(Bucket=bucket, Key=listed["Key"])["Body"].read())
                saved += 1
    return saved


def restore_objects(s3: Any, buckets: dict[str, str], folder: Path) -> int:
    restored = 0
    for logical_id, bucket in buckets.items():
        root = folder / logical_id
        for file in sorted(root.rglob("*")) if root.is_dir() else []:
            if file.is_file():
                s3.put_object(Bucket=bucket, Key=file.relative_to(root).as_posix(), Body=file.read_bytes())
                restored += 1
    return restored


class BrandImageFiles:
    def __init__(self, s3: Any, bucket: str, buckets: dict[str, str], keep: Path | None = None) -> None:
        self._s3 = s3
        self._bucket = bucket
        self._buckets = buckets
        self._keep = keep

    def serve(self, path: str) -> tuple[int, bytes, dict[str, str]]:
        found = _PUBLIC_PATH.match(path)
        if found is None:
            return 404, b"", {"Content-Type": "text/plain"}
        key = path.lstrip("/")
        try:
            answer = self._s3.get_object(Bucket=self._bucket, Key=key)
        except self._s3.exceptions.NoSuchKey:
            return 404, b"", {"Content-Type": "text/plain"}
        headers = {
            "Content-Type": "image/png",
            "Cache-Control": answer.get("CacheControl", "public, max-age=3600"),
        }
        return 200, answer["Body"].read(), headers

    def stop(self) -> None:
        if self._keep is not None:
            shutil.rmtree(self._keep, ignore_errors=True)
            save_objects(self._s3, self._buckets, self._keep)


def start(stack: LocalStack) -> BrandImageFiles:
    if stack.moto is None or stack.gateway is None:
        raise RuntimeError("moto and the gateway start before the add-ons")
    stack.endpoints["AWS_ENDPOINT_URL_S3"] = stack.moto.endpoint
    os.environ["AWS_ENDPOINT_URL_S3"] = stack.moto.endpoint
    s3 = stack.client("s3")
    created = create_buckets(s3, f"{stack.config.table_name}-", stack.base_url)
    stack.resources.update(created)
    buckets = {logical_id: created[logical_id] for logical_id in bucket_definitions()}
    keep = stack.config.data_dir / SAVED_OBJECTS if stack.config.data_dir is not None else None
    if keep is not None:
        restore_objects(s3, buckets, keep)
    files = BrandImageFiles(s3, stack.resources["BrandImagesBucket"], buckets, keep)
    stack.gateway.local_files[PUBLIC_PREFIX] = files.serve
    # The web apps post brand images to the bucket: locally that is moto's S3, which the page's CSP must allow.
    for source in (
        "https://${BrandImagesBucket.RegionalDomainName}",
        "https://${BrandImagesBucket}.s3.amazonaws.com",
    ):
        stack.gateway.edge.local_sources[source] = stack.moto.endpoint
    return files
