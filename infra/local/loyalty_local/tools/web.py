"""The web apps at the API's origin, as CloudFront serves them deployed: the built single-page app (web/dist) for
the app's own paths and static assets, `/config.json` telling the app how to sign in, and the local stack's own
sign-in (`POST /_local/signin`), which has the local user pool issue the token Cognito's hosted UI would."""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loyalty_local.cloud.template import REPO_ROOT
from loyalty_local.standins.cognito import DEMO_BRANCH, DEMO_BUSINESS, LocalUserPool

WEB_DIST = REPO_ROOT / "web/dist"
SIGNIN_PATH = "/_local/signin"
# The app's own routes: each answers index.html and the app draws the page (the SPA fallback).
APP_ROUTE = re.compile(r"^/(|scan|signin|offers(/.*)?|join/[^/]+|pass/.+)$")
SIGNIN_TTL = 12 * 3600
BUSINESS_ID = re.compile(r"^biz_[A-Za-z0-9]{1,40}$")
BRANCH_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

Answer = tuple[int, bytes, dict[str, str]]  # status, body, headers: what the gateway sends


def _json(status: int, body: dict[str, Any]) -> Answer:
    return status, json.dumps(body).encode(), {"Content-Type": "application/json"}


def _refused(message: str, field: str) -> Answer:
    return _json(
        422,
        {
            "success": False,
            "error": {
                "code": "VALIDATION_ERROR",
                "message": message,
                "details": [{"field": field, "message": message}],
            },
        },
    )


@dataclass(frozen=True)
class WebApp:
    user_pool: LocalUserPool
    dist: Path = WEB_DIST

    def static(self, path: str) -> Answer | None:
        """The answer to a GET of `path` when it is the app's (a page, an asset, the config), else None."""
        if path == "/config.json":
            config = {"auth": "local", "demoBusinessId": DEMO_BUSINESS, "demoBranchId": DEMO_BRANCH}
            headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
            return 200, json.dumps(config).encode(), headers
        if APP_ROUTE.match(path):
            return self._file(self.dist / "index.html", "no-cache")
        candidate = (self.dist / path.lstrip("/")).resolve()
        if (
            path.startswith("/assets/")
            and candidate.is_relative_to(self.dist.resolve())
            and candidate.is_file()
        ):
            # Vite names assets by their content hash, so they never change under one name.
            return self._file(candidate, "public, max-age=31536000, immutable")
        return None

    def _file(self, file: Path, cache: str) -> Answer:
        if not file.is_file():
            body = b"The web app is not built: run `make web` (make run builds it)."
            return 503, body, {"Content-Type": "text/plain; charset=utf-8"}
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind == "application/javascript":
            kind += "; charset=utf-8"
        return 200, file.read_bytes(), {"Content-Type": kind, "Cache-Control": cache}

    def sign_in(self, body: bytes) -> Answer:
        """`{"role": "owner"|"manager", "businessId", "branchId"?}` → `{"idToken"}` from the local user pool."""
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return _json(400, {"success": False, "error": {"code": "MALFORMED_JSON", "message": "Bad JSON."}})
        if not isinstance(request, dict):
            return _refused("A JSON object is required.", "body")
        role, business, branch = (
            request.get("role"),
            request.get("businessId"),
            request.get("branchId") or None,
        )
        if role not in ("owner", "manager"):
            return _refused("Role is owner or manager.", "role")
        if not isinstance(business, str) or not BUSINESS_ID.match(business):
            return _refused("A business id looks like biz_democoffee01.", "businessId")
        if role == "manager" and not (isinstance(branch, str) and BRANCH_ID.match(branch)):
            return _refused("A manager works at a branch.", "branchId")
        token = self.user_pool.issue(
            role,
            business,
            branch if role == "manager" else None,
            ttl=SIGNIN_TTL,
            sub=f"local-{role}-{business}-{branch or 'all'}",
        )
        return _json(200, {"idToken": token})
