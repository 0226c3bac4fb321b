"""Browser preflights that reach a function. API Gateway HTTP API with CORS configured answers a preflight itself
only when no route takes it: a `$default` route catches every method and path no other route names, OPTIONS
included, so the preflight reaches the `$default` function, which must answer it 2xx or every browser call fails.
API Gateway then puts its own configured CORS headers on that answer; the function sends the same ones (from the
same values in template.yaml) so its answer is right on its own too."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PREFLIGHT_HEADER = "access-control-request-method"


@dataclass(frozen=True)
class CorsPolicy:
    allow_origins: tuple[str, ...]
    allow_headers: str
    allow_methods: str
    max_age_seconds: int

    def allows(self, origin: str | None) -> bool:
        return bool(origin) and (origin in self.allow_origins or "*" in self.allow_origins)

    def preflight_answer(self, event: dict[str, Any]) -> dict[str, Any] | None:
        """The payload-v2 answer to a preflight (204; the CORS headers when the origin is allowed, none
        otherwise, so the browser stops), or None when the request is not a preflight."""
        method = str(event.get("requestContext", {}).get("http", {}).get("method", "")).upper()
        headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
        if method != "OPTIONS" or PREFLIGHT_HEADER not in headers:
            return None
        origin = headers.get("origin")
        answer: dict[str, str] = {}
        if self.allows(origin):
            answer = {
                "Access-Control-Allow-Origin": str(origin),
                "Access-Control-Allow-Methods": self.allow_methods,
                "Access-Control-Allow-Headers": self.allow_headers,
                "Access-Control-Max-Age": str(self.max_age_seconds),
                "Vary": "Origin",
            }
        return {"statusCode": 204, "headers": answer, "body": "", "isBase64Encoded": False}
