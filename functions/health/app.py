"""GET /api/health (public): the API is up."""

from loyalty.entrypoints.http.api import lambda_entry, new_api

app = new_api()


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


handler = lambda_entry(app)
