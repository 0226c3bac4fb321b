"""`make deploy-web`: the built web apps (web/dist) into the stack's bucket, with /config.json telling them to sign in
through the stack's Cognito hosted UI, then a CloudFront invalidation of what is not content-addressed.

Assets under /assets/ are named by their content hash (Vite), so they are cached for a year; index.html and
config.json are revalidated on every load, so a deploy takes effect at once."""

from __future__ import annotations

import argparse
import json
import mimetypes
import time
from pathlib import Path
from typing import Any

import boto3

DIST = Path(__file__).resolve().parents[1] / "web/dist"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def stack_outputs(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def upload(s3: Any, bucket: str, key: str, body: bytes, cache: str) -> None:
    kind = mimetypes.guess_type(key)[0] or "application/octet-stream"
    s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType=kind, CacheControl=cache)


def deploy(stack_name: str, region: str) -> str:
    if not (DIST / "index.html").is_file():
        raise SystemExit("web/dist is not built: run `make web`")
    session = boto3.Session(region_name=region)
    outputs = stack_outputs(session.client("cloudformation"), stack_name)
    bucket, distribution = outputs["WebBucketName"], outputs["WebDistributionId"]
    s3 = session.client("s3")
    for file in sorted(p for p in DIST.rglob("*") if p.is_file()):
        key = file.relative_to(DIST).as_posix()
        upload(s3, bucket, key, file.read_bytes(), IMMUTABLE if key.startswith("assets/") else REVALIDATE)
    # The apps call Cognito's API at the region's endpoint with the stack's app client.
    config = {
        "auth": "cognito",
        "region": region,
        "clientId": outputs["UserPoolClientId"],
        "endpoint": f"https://cognito-idp.{region}.amazonaws.com/",
    }
    upload(s3, bucket, "config.json", json.dumps(config).encode(), REVALIDATE)
    session.client("cloudfront").create_invalidation(
        DistributionId=distribution,
        InvalidationBatch={
            "Paths": {"Quantity": 2, "Items": ["/index.html", "/config.json"]},
            "CallerReference": f"deploy-web-{time.time_ns()}",
        },
    )
    return outputs["WebUrl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--stack-name", required=True)
    parser.add_argument("--region", required=True)
    args = parser.parse_args()
    print(f"web apps deployed: {deploy(args.stack_name, args.region)}")


if __name__ == "__main__":
    main()
