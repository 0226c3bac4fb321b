"""The local stack's S3 keeps brand images between two runs, as DynamoDB Local keeps the brands naming them."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from loyalty_local.cloud.brand_images import restore_objects, save_objects
from loyalty_local.cloud.dynamodb_local import free_port

pytestmark = pytest.mark.integration


def test_objects_saved_at_stop_are_there_at_the_next_start(tmp_path: Path) -> None:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{port}",
            region_name="us-east-1",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        s3.create_bucket(Bucket="first-run")
        s3.put_object(Bucket="first-run", Key="brand-images/img_abc12345/logo@2x.png", Body=b"\x89PNG drawn")
        assert save_objects(s3, {"BrandImagesBucket": "first-run"}, tmp_path) == 1

        s3.create_bucket(Bucket="second-run")
        assert restore_objects(s3, {"BrandImagesBucket": "second-run"}, tmp_path) == 1
        kept = s3.get_object(Bucket="second-run", Key="brand-images/img_abc12345/logo@2x.png")["Body"].read()
        assert kept == b"\x89PNG drawn"
    finally:
        server.stop()
