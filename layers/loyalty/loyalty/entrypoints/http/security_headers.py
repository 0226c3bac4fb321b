"""Security headers on every answer a function gives: an API answer is data, never a page, so nothing in it may
run, be framed or be sniffed into something else. CloudFront's response-headers policies (template.yaml) set
the same on every behaviour; these keep answers from the execute-api stage (and the local gateway) as strict.
An answer that sets its own Content-Security-Policy (the /api/docs page) keeps it."""

from __future__ import annotations

from typing import Any

API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
BASELINE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Recovery links and download links carry tokens in their query: never sent on to another site.
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": API_CSP,
}


def with_security_headers(answer: dict[str, Any]) -> dict[str, Any]:
    """The Lambda answer (payload v2) with each baseline header it does not set itself."""
    headers: dict[str, Any] = dict(answer.get("headers") or {})
    present = {name.lower() for name in headers}
    for name, value in BASELINE.items():
        if name.lower() not in present:
            headers[name] = value
    return {**answer, "headers": headers}
