"""GET /api/openapi.json (public): the whole contract, generated from the handlers at build time
(`loyalty-local openapi -o functions/openapi/openapi.json`; a test keeps the file current)."""

from functools import cache
from pathlib import Path
from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.entrypoints.http.api import lambda_entry, new_api

app = new_api()


@cache
def _document() -> str:
    return (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8")


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[Any]:
    return Response(200, "application/json", _document(), headers={"Cache-Control": "public, max-age=300"})


handler = lambda_entry(app)
