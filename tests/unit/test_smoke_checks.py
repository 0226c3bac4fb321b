"""What `make smoke` calls a failure: the deployed mistakes only a real stage can make."""

from __future__ import annotations

import httpx

from loyalty_local.tools.smoke import run

ORIGIN = "https://dashboard.example.com"
JWKS = {"keys": [{"kid": "k1", "kty": "RSA", "n": "abc", "e": "AQAB", "use": "sig", "alg": "RS256"}]}


def stage(*, preflight_status: int = 204, unauthorized: dict | None = None) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/health":
            return httpx.Response(200, json={"status": "ok"})
        if path == "/.well-known/jwks.json":
            return httpx.Response(200, json=JWKS, headers={"cache-control": "public, max-age=3600"})
        if request.method == "OPTIONS":
            headers = {"access-control-allow-origin": ORIGIN} if preflight_status < 300 else {}
            return httpx.Response(preflight_status, headers=headers)
        body = unauthorized or {
            "success": False,
            "error": {"code": "UNAUTHORIZED", "message": "m", "details": []},
        }
        return httpx.Response(401, json=body)

    return httpx.MockTransport(answer)


def problems(transport: httpx.MockTransport) -> dict[str, str | None]:
    return {r.name: r.problem for r in run("https://api.example.com/", ORIGIN, transport=transport)}


def test_a_stage_answering_the_contract_passes() -> None:
    assert set(problems(stage()).values()) == {None}


def test_a_preflight_falling_through_to_a_404_fails() -> None:
    found = problems(stage(preflight_status=404))
    assert found["preflight"] is not None and "404" in found["preflight"]


def test_the_authorizers_own_401_body_fails() -> None:
    found = problems(stage(unauthorized={"message": "Unauthorized"}))
    assert found["401 body"] is not None and "Unauthorized" in found["401 body"]
