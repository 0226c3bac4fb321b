"""The web apps at the API's origin, as CloudFront serves them deployed: the built single-page app (web/dist) for
the app's own paths and static assets, and `/config.json` telling the app where Cognito's API is (locally, the
stack's front of moto's Cognito) and which app client it signs in with."""

from __future__ import annotations

import json
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from loyalty_local.cloud.template import REPO_ROOT
from loyalty_local.standins.cognito import LocalUserPool

WEB_DIST = REPO_ROOT / "web/dist"
# Where the web apps call Cognito's API locally (the stack's front, at the same origin).
COGNITO_PATH = "/_local/cognito-idp/"
# The app's own routes: each answers index.html and the app draws the page (the SPA fallback).
APP_ROUTE = re.compile(r"^/(|scan|signin|welcome|business|branches|staff|offers(/.*)?|join/[^/]+|pass/.+)$")

Answer = tuple[int, bytes, dict[str, str]]  # status, body, headers: what the gateway sends


@dataclass(frozen=True)
class WebApp:
    user_pool: LocalUserPool
    dist: Path = WEB_DIST

    def static(self, path: str) -> Answer | None:
        """The answer to a GET of `path` when it is the app's (a page, an asset, the config), else None."""
        if path == "/config.json":
            config = {
                "auth": "cognito",
                "region": self.user_pool.issuer.split(".")[1],
                "clientId": self.user_pool.audience,
                "endpoint": COGNITO_PATH,
            }
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
