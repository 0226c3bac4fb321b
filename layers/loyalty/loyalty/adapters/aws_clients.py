"""boto3 clients, made once per container (endpoints from the standard AWS_ENDPOINT_URL_<SERVICE> variables)."""

from __future__ import annotations

from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "max_attempts": 3},
    max_pool_connections=50,
    # The service validates every request itself; botocore's client-side pass over the parameters is a
    # millisecond of every scan's budget spent checking what our own code built.
    parameter_validation=False,
)


# Presigned S3 uploads are signed with Signature Version 4, the only one every region accepts.
_SERVICE_CONFIG = {"s3": _CONFIG.merge(Config(signature_version="s3v4"))}


@cache
def client(service: str) -> Any:
    return boto3.client(service, config=_SERVICE_CONFIG.get(service, _CONFIG))  # type: ignore[call-overload]


def new_client(service: str, **options: Any) -> Any:
    """A client configured as the functions' are, with `options` (an endpoint) given: for tools and benchmarks
    that must pay what a function pays a request."""
    config = _SERVICE_CONFIG.get(service, _CONFIG)
    return boto3.client(service, config=config, **options)  # type: ignore[call-overload]
