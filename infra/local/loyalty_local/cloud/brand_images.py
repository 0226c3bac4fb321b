"""Brand images on the local stack: the template's buckets in moto's S3 (server mode, a real S3 API: presigned
POSTs, policies, CORS), the functions pointed at it, and `/brand-images/…` served from the bucket at the web
origin, as CloudFront serves it deployed."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

from loyalty_local.cloud.template import load_template

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

PUBLIC_PREFIX = "/brand-images/"
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


class BrandImageFiles:
    def __init__(self, s3: Any, bucket: str) -> None:
        self._s3 = s3
        self._bucket = bucket

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
        return


def start(stack: LocalStack) -> BrandImageFiles:
    if stack.moto is None or stack.gateway is None:
        raise RuntimeError("moto and the gateway start before the add-ons")
    stack.endpoints["AWS_ENDPOINT_URL_S3"] = stack.moto.endpoint
    os.environ["AWS_ENDPOINT_URL_S3"] = stack.moto.endpoint
    stack.resources.update(create_buckets(stack.client("s3"), f"{stack.config.table_name}-", stack.base_url))
    files = BrandImageFiles(stack.client("s3"), stack.resources["BrandImagesBucket"])
    stack.gateway.local_files[PUBLIC_PREFIX] = files.serve
    # The web apps post brand images to the bucket: locally that is moto's S3, which the page's CSP must allow.
    for source in (
        "https://${BrandImagesBucket.RegionalDomainName}",
        "https://${BrandImagesBucket}.s3.amazonaws.com",
    ):
        stack.gateway.edge.local_sources[source] = stack.moto.endpoint
    return files
