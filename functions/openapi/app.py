"""GET /api/openapi.json (public): the whole contract, generated from the handlers at build time
(`loyalty-local openapi -o functions/openapi/openapi.json`; a test keeps the file current).

GET /api/docs (public): Swagger UI over that document. Its script and stylesheet are served from here too (copied
from the npm package `swagger-ui-dist` into `swagger-ui/` by `make`), so the page loads nothing from another
origin: it works offline, and a CDN can neither change nor watch what the dashboard developers run.
"""

from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.entrypoints.http.api import error_body, json_response, lambda_entry, new_api

app = new_api()
HERE = Path(__file__).parent
SWAGGER_UI = HERE / "swagger-ui"
# The only files the page needs; nothing else of the folder is reachable by name.
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}
# Assets change only with a new deploy of this function; the page and the document are re-read often.
ASSET_CACHE = "public, max-age=86400"

# Relative addresses: the page works wherever the API is mounted (the execute-api URL, a custom domain).
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Loyalty platform API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/start.js"></script>
</body>
</html>
"""


# The page's own script, a file of its own: the page's CSP allows no inline script.
START_SCRIPT = (
    'window.ui = SwaggerUIBundle({url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true});\n'
)
# Swagger UI's widgets set inline styles; scripts come only from here.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


@cache
def _document() -> str:
    return (HERE / "openapi.json").read_text(encoding="utf-8")


@cache
def _asset(name: str) -> str:
    return (SWAGGER_UI / name).read_text(encoding="utf-8")


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[Any]:
    return Response(200, "application/json", _document(), headers={"Cache-Control": "public, max-age=300"})


@app.get("/api/docs", include_in_schema=False)
def docs() -> Response[Any]:
    headers = {"Cache-Control": "no-cache", "Content-Security-Policy": DOCS_CSP}
    return Response(200, "text/html; charset=utf-8", DOCS_PAGE, headers=headers)


@app.get("/api/docs/<asset>", include_in_schema=False)
def docs_asset(asset: str) -> Response[Any]:
    if asset == "start.js":
        script_headers = {"Cache-Control": ASSET_CACHE}
        return Response(200, "text/javascript; charset=utf-8", START_SCRIPT, headers=script_headers)
    if asset not in ASSETS:
        return json_response(404, error_body("NOT_FOUND", "No such file."))
    return Response(200, ASSETS[asset], _asset(asset), headers={"Cache-Control": ASSET_CACHE})


handler = lambda_entry(app)
