"""GET /api/openapi.json (public): the whole contract, generated from the handlers at build time."""

from pathlib import Path

from aws_lambda_powertools.event_handler import Response
from loyalty.http.api import lambda_entry, new_api

app = new_api()
_DOCUMENT = (Path(__file__).parent / "openapi.json").read_text(encoding="utf-8")


@app.get("/api/openapi.json", include_in_schema=False)
def openapi() -> Response[str]:
    return Response(200, "application/json", _DOCUMENT, headers={"Cache-Control": "public, max-age=300"})


handler = lambda_entry(app)
