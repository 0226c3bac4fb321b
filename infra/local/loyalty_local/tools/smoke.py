"""`make smoke API=https://…`: a deployed stage answers what the contract says on the four things only a deployment
can get wrong (routes, authorizer, CORS, the JWKS AIR Kit fetches), with no token and no data written.

Run it after every deploy (and before registering a JWKS URL with AIR Kit): the local stack answers these itself,
so a misconfigured API Gateway (a preflight to `$default`, the authorizer's own 401 body) is only seen here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from loyalty_local.cloud.template import parameter_defaults

CONTRACT_ERROR_KEYS = {"code", "message", "details"}


@dataclass(frozen=True)
class Check:
    name: str
    problem: str | None  # None: passed


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def health(http: httpx.Client, api: str, origin: str) -> str | None:
    answer = http.get(f"{api}/api/health")
    if answer.status_code != 200 or _json(answer) != {"status": "ok"}:
        return (
            f'GET /api/health answered {answer.status_code} {answer.text[:200]!r}, not 200 {{"status": "ok"}}'
        )
    return None


def jwks(http: httpx.Client, api: str, origin: str) -> str | None:
    answer = http.get(f"{api}/.well-known/jwks.json")
    document = _json(answer)
    keys = document.get("keys") if isinstance(document, dict) else None
    if answer.status_code != 200 or not isinstance(keys, list) or not keys:
        return f"GET /.well-known/jwks.json answered {answer.status_code} without a non-empty keys list"
    for key in keys:
        if not {"kid", "kty", "n", "e"} <= set(key) or key.get("use") != "sig":
            return f"a JWKS key lacks kid/kty/n/e or use=sig: {sorted(key)}"
        if {"d", "p", "q"} & set(key):
            return "the JWKS publishes private key material"
    if "public" not in answer.headers.get("cache-control", ""):
        return "the JWKS answer is not publicly cacheable (Cache-Control)"
    return None


def preflight(http: httpx.Client, api: str, origin: str) -> str | None:
    answer = http.request(
        "OPTIONS",
        f"{api}/api/offers",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
    )
    allowed = answer.headers.get("access-control-allow-origin")
    if not 200 <= answer.status_code < 300 or allowed not in (origin, "*"):
        return (
            f"a preflight from {origin} answered {answer.status_code} with Access-Control-Allow-Origin "
            f"{allowed!r}: browsers on the dashboard would fail"
        )
    return None


def unauthorized(http: httpx.Client, api: str, origin: str) -> str | None:
    answer = http.get(f"{api}/api/offers")
    body = _json(answer)
    error = body.get("error") if isinstance(body, dict) else None
    if (
        answer.status_code != 401
        or not isinstance(body, dict)
        or body.get("success") is not False
        or not isinstance(error, dict)
        or not set(error) >= CONTRACT_ERROR_KEYS
    ):
        return (
            f"GET /api/offers without a token answered {answer.status_code} {answer.text[:200]!r}, not 401 with "
            '{"success": false, "error": {"code", "message", "details"}}'
        )
    return None


CHECKS: dict[str, Callable[[httpx.Client, str, str], str | None]] = {
    "health": health,
    "jwks": jwks,
    "preflight": preflight,
    "401 body": unauthorized,
}


def run(
    api: str, origin: str, timeout: float = 15.0, transport: httpx.BaseTransport | None = None
) -> list[Check]:
    api = api.rstrip("/")
    results: list[Check] = []
    with httpx.Client(timeout=timeout, follow_redirects=False, transport=transport) as http:
        for name, check in CHECKS.items():
            try:
                problem = check(http, api, origin)
            except httpx.HTTPError as error:
                problem = f"no answer: {type(error).__name__}: {error}"
            results.append(Check(name, problem))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make smoke", description=__doc__)
    parser.add_argument(
        "api", help="the stage's API base URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com"
    )
    parser.add_argument(
        "--origin",
        default=str(parameter_defaults()["DashboardOrigin"]),
        help="the dashboard origin the stage allows (its DashboardOrigin parameter)",
    )
    arguments = parser.parse_args(argv)
    results = run(arguments.api, arguments.origin)
    for result in results:
        print(
            f"{'ok  ' if result.problem is None else 'FAIL'} {result.name}{'' if result.problem is None else ': ' + result.problem}"
        )
    failed = sum(1 for result in results if result.problem is not None)
    print(f"{len(results) - failed} of {len(results)} checks passed against {arguments.api}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
