"""Where passes rendered now send the phone for updates: the Apple Wallet function's own URL (a Lambda function URL,
no API Gateway request charge), which CloudFormation cannot hand to the function itself (the URL exists only once
the function does). The template writes it into an SSM parameter whose *name* every pass-rendering function gets;
this reads the parameter once per container.

A parameter that cannot be read (not written yet during a first deploy, or a stage deployed without it) leaves the
pass on the stage's own origin (`APPLE_WALLET_WEB_SERVICE_URL`, the HTTP API's routes, which stay): a pass issued
there keeps working for life. That answer is kept only `retry_seconds`, then the parameter is read again; a value
read is kept for the container's life (a function URL never changes while it exists: Lambda developer guide,
"Invoking Lambda function URLs")."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)

# The path of the PassKit web service under any host: the same routes the HTTP API serves.
WEB_SERVICE_PATH = "/wallet/apple"
# A function URL is `https://<url-id>.lambda-url.<region>.on.aws/`; plain HTTP only on loopback (the local stack).
_FUNCTION_URL = re.compile(r"^(https://[^/\s]+|http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)/?$")
RETRY_SECONDS = 60.0


class WebServiceAddress:
    """`webServiceURL` for a pass rendered now: `<function URL>/wallet/apple`, or `fallback` while the parameter
    cannot be read."""

    def __init__(
        self,
        ssm: Any,
        parameter_name: str,
        fallback: str,
        *,
        retry_seconds: float = RETRY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ssm = ssm
        self._name = parameter_name
        self._fallback = fallback.rstrip("/")
        self._retry_seconds = retry_seconds
        self._clock = clock
        self._url: str | None = None
        self._fallback_until = float("-inf")

    def __call__(self) -> str:
        if self._url is not None:
            return self._url
        now = self._clock()
        if now < self._fallback_until:
            return self._fallback
        url = self._read()
        if url is None:
            self._fallback_until = now + self._retry_seconds
            return self._fallback
        self._url = url
        return url

    def _read(self) -> str | None:
        try:
            value = str(self._ssm.get_parameter(Name=self._name)["Parameter"]["Value"]).strip()
        except (ClientError, BotoCoreError, KeyError) as error:
            log.warning(
                "web service URL parameter %s not read (%s): passes keep the stage's origin",
                self._name,
                error,
            )
            return None
        if not _FUNCTION_URL.match(value):
            log.warning(
                "web service URL parameter %s holds no function URL: passes keep the stage's origin",
                self._name,
            )
            return None
        return value.rstrip("/") + WEB_SERVICE_PATH
