"""GET /api/health (public): the API is up."""

from typing import Any, Literal

from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.contract import ContractModel, ok, responses

app = new_api()


class Health(ContractModel):
    status: Literal["ok"]


@app.get(
    "/api/health",
    summary="The API is up",
    operation_id="health",
    responses=responses({200: ok(Health, "Up")}),
)
def health() -> dict[str, Any]:
    return {"status": "ok"}


handler = lambda_entry(app)
