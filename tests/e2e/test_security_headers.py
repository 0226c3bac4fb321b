"""The local stack answers every page and API call with the headers the distribution gives them, and the pages it
serves hold no inline script (their CSP would refuse it)."""

from __future__ import annotations

import re

import pytest
import requests

pytestmark = pytest.mark.e2e

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/scan",
        "/api/health",
        "/api/docs",
        "/api/docs/start.js",
        "/api/openapi.json",
        "/api/offers",  # 401 without a token: refusals carry them too
        "/api/no-such-route",
        "/.well-known/jwks.json",
        "/wallet/apple/v1/passes/pass.x/serial",
    ],
)
def test_every_answer_carries_the_security_headers(gateway: str, path: str) -> None:
    answer = requests.get(f"{gateway}{path}", timeout=30)
    csp = answer.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, (path, answer.status_code)
    assert "'unsafe-inline'" not in csp.split("script-src")[-1].split(";")[0], path
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/api/docs"])
def test_pages_hold_no_inline_script(gateway: str, path: str) -> None:
    page = requests.get(f"{gateway}{path}", timeout=30)
    assert page.status_code == 200
    scripts = _SCRIPT.findall(page.text)
    assert scripts, "the page loads its script"
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts), scripts
    for src in re.findall(r'<script[^>]*src="([^"]+)"', page.text):
        url = src if src.startswith("/") else f"/api/{src}" if path == "/api/docs" else f"/{src}"
        assert requests.get(f"{gateway}{url}", timeout=30).status_code == 200, url
