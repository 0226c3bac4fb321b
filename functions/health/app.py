"""GET /api/health (public): the API is up. Also the API's `$default` route: browser preflights (which API
Gateway sends there, see `loyalty.entrypoints.http.cors`) get 204 with the CORS headers, and every other request no
route matches gets the contract's 404."""

from typing import Any, Literal

from aws_lambda_powertools.utilities.typing import LambdaContext

from loyalty.bootstrap import settings as container_settings
from loyalty.entrypoints.http.api import lambda_entry, new_api
from loyalty.entrypoints.http.cors import CorsPolicy
from loyalty.entrypoints.http.wire import ContractModel, ok, responses

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


_resolve = lambda_entry(app)


def _cors() -> CorsPolicy:
    settings = container_settings()
    return CorsPolicy(
        allow_origins=tuple(o.strip() for o in settings.cors_allow_origins.split(",") if o.strip()),
        allow_headers=settings.cors_allow_headers,
        allow_methods=settings.cors_allow_methods,
        max_age_seconds=settings.cors_max_age_seconds,
    )


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    preflight = _cors().preflight_answer(event)
    return preflight if preflight is not None else _resolve(event, context)
