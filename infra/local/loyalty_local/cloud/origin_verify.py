"""The distribution's origin-verify secret on the local stack: template.yaml's OriginVerifySecret, made in moto's
Secrets Manager with a fresh random value (as CloudFormation's GenerateSecretString makes it), so the functions
read it where a deployment's read it. There is no CloudFront locally: the gateway passes the caller's own address,
and a request believes `CloudFront-Viewer-Address` only when it carries this value, as deployed. `make run` keeps
the value under `.local/` (so a developer can play CloudFront with curl); tests read it from the add-on."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loyalty_local.cloud.template import load_template, parameter_defaults

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

RESOURCE = "OriginVerifySecret"
HEADER = "X-Origin-Verify"
VALUE_FILE = "origin-verify.txt"


@dataclass
class OriginVerify:
    value: str

    def headers(self, viewer_address: str) -> dict[str, str]:
        """What CloudFront adds to a request from `viewer_address` on its way to the API."""
        return {HEADER: self.value, "CloudFront-Viewer-Address": viewer_address}

    def stop(self) -> None:
        return


def start(stack: LocalStack) -> OriginVerify:
    params = {k: v for k, v in parameter_defaults().items() if v is not None}
    name = stack.resolve(load_template()["Resources"][RESOURCE]["Properties"]["Name"], params) or RESOURCE
    data_dir = stack.config.data_dir
    kept = data_dir / VALUE_FILE if data_dir else None
    value = kept.read_text(encoding="utf-8").strip() if kept and kept.exists() else secrets.token_urlsafe(36)
    if kept is not None and not kept.exists():
        kept.touch(mode=0o600)
        kept.write_text(value, encoding="utf-8")
    client = stack.client("secretsmanager")
    try:
        arn = client.create_secret(Name=name, SecretString=value)["ARN"]
    except client.exceptions.ResourceExistsException:
        arn = client.put_secret_value(SecretId=name, SecretString=value)["ARN"]
    stack.resources[RESOURCE] = str(arn)
    return OriginVerify(value)
