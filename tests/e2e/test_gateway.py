"""The local gateway behaves as the deployed HTTP API: routes from template.yaml, the JWT authorizer's checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import threading
import time

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from loyalty_local.cloud.template import http_routes, load_template
from loyalty_local.standins.cognito import KEY_ID

PROTECTED = "/api/offers"


def _claims(local_stack, **overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": "user-1",
        "iss": local_stack.user_pool.issuer,
        "aud": local_stack.user_pool.audience,
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "cognito:groups": ["owner"],
        "custom:businessId": "biz_testbusiness01",
    }
    claims.update(overrides)
    return claims


def _assert_unauthorized(response: requests.Response) -> None:
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "UNAUTHORIZED"


def test_health_is_public(gateway: str) -> None:
    response = requests.get(f"{gateway}/api/health", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_missing_token_is_401(gateway: str) -> None:
    _assert_unauthorized(requests.get(f"{gateway}{PROTECTED}", timeout=10))


def test_non_bearer_scheme_is_401(gateway: str, token) -> None:
    response = requests.get(
        f"{gateway}{PROTECTED}", headers={"Authorization": f"Basic {token()}"}, timeout=10
    )
    _assert_unauthorized(response)


def test_expired_token_is_401(gateway: str, token) -> None:
    expired = token(ttl=-60)
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {expired}"}, timeout=10)
    )


def test_wrong_signature_is_401(gateway: str, local_stack) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(_claims(local_stack), stranger, algorithm="RS256", headers={"kid": KEY_ID})
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {forged}"}, timeout=10)
    )


def test_wrong_audience_is_401(gateway: str, local_stack) -> None:
    forged = jwt.encode(
        _claims(local_stack, aud="someone-else"),
        local_stack.user_pool.private_key,
        algorithm="RS256",
        headers={"kid": KEY_ID},
    )
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {forged}"}, timeout=10)
    )


def test_wrong_issuer_is_401(gateway: str, local_stack) -> None:
    forged = jwt.encode(
        _claims(local_stack, iss="https://evil.example"),
        local_stack.user_pool.private_key,
        algorithm="RS256",
        headers={"kid": KEY_ID},
    )
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {forged}"}, timeout=10)
    )


def test_alg_none_is_401(gateway: str, local_stack) -> None:
    unsigned = jwt.encode(_claims(local_stack), key=None, algorithm="none")
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {unsigned}"}, timeout=10)
    )


def test_symmetric_alg_with_public_key_is_401(gateway: str, local_stack) -> None:
    """The classic algorithm confusion: HS256 keyed with the RSA public key must not pass."""
    public_pem = local_stack.user_pool.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = (
        b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": KEY_ID}).encode())
        + "."
        + b64(json.dumps(_claims(local_stack)).encode())
    )
    forged = signing_input + "." + b64(hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest())
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {forged}"}, timeout=10)
    )


def test_unknown_route_is_404_with_contract_body(gateway: str, token) -> None:
    response = requests.get(
        f"{gateway}/api/nothing-here", headers={"Authorization": f"Bearer {token()}"}, timeout=10
    )
    assert response.status_code == 404
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_wrong_method_on_known_path_is_404(gateway: str) -> None:
    assert requests.delete(f"{gateway}/api/health", timeout=10).status_code == 404


def test_a_token_of_the_pool_is_accepted(gateway: str, local_stack) -> None:
    """The control for the forgeries around it: the same claims and key, with the pool's kid, pass."""
    genuine = jwt.encode(
        _claims(local_stack), local_stack.user_pool.private_key, algorithm="RS256", headers={"kid": KEY_ID}
    )
    response = requests.get(
        f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {genuine}"}, timeout=10
    )
    assert response.status_code == 200


@pytest.mark.parametrize("headers", [None, {"kid": "someone-elses-key"}], ids=["no kid", "unknown kid"])
def test_a_token_without_a_known_kid_is_401(gateway: str, local_stack, headers) -> None:
    """Cognito's authorizer picks the key by kid from the pool's JWKS: the right signature under an absent or
    unpublished kid is still refused, with the contract's body."""
    token = jwt.encode(
        _claims(local_stack), local_stack.user_pool.private_key, algorithm="RS256", headers=headers
    )
    if headers is None:
        assert "kid" not in jwt.get_unverified_header(token)
    _assert_unauthorized(
        requests.get(f"{gateway}{PROTECTED}", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    )


@pytest.mark.parametrize("path", ["/api/offers", "/api/branch-manager/scan/cus_x/off_y", "/api/not-a-route"])
def test_cors_preflight_for_the_dashboard_is_answered_by_the_default_route(gateway: str, path: str) -> None:
    """As deployed: no route names OPTIONS, so the preflight reaches the $default function (API Gateway answers
    it itself only when no route takes it), which must answer 2xx; the configured CORS headers go on top."""
    response = requests.options(
        f"{gateway}{path}",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
        },
        timeout=10,
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "POST" in response.headers["Access-Control-Allow-Methods"].split(",")
    allowed = {h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed


def test_a_preflight_from_another_origin_gets_no_cors_headers(gateway: str) -> None:
    response = requests.options(
        f"{gateway}/api/offers",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert not any(name.lower().startswith("access-control-") for name in response.headers)


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PROPFIND"])
def test_other_methods_reach_the_default_route_and_get_the_contracts_404(gateway: str, method: str) -> None:
    """An OPTIONS that is not a preflight, TRACE, or a method no one knows: API Gateway routes them all to
    $default, so they get the contract's JSON 404, never the HTTP server's own 501 page."""
    response = requests.request(method, f"{gateway}/api/health", timeout=10)
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": {"code": "NOT_FOUND", "message": "No such route.", "details": []},
    }


def _raw_exchange(gateway: str, request: bytes) -> bytes:
    host, port = gateway.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "lengths",
    [["abc"], ["-1"], ["1.5"], ["0x10"], ["5", "7"]],
    ids=["word", "negative", "fraction", "hex", "two lengths"],
)
def test_a_bad_content_length_is_400_with_the_contract_body(gateway: str, lengths: list[str]) -> None:
    headers = "".join(f"Content-Length: {length}\r\n" for length in lengths)
    answer = _raw_exchange(
        gateway,
        f"POST /api/offers HTTP/1.1\r\nHost: local\r\n{headers}Connection: close\r\n\r\n{{}}".encode(),
    )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), head
    assert json.loads(body)["error"]["code"] == "BAD_REQUEST"
    assert json.loads(body)["success"] is False


def test_a_burst_of_64_connections_is_held_without_a_reset(gateway: str) -> None:
    """64 clients connect at the same moment (a page load behind a proxy, a load test): every one is accepted
    and answered; none is reset because a listen queue overflowed."""
    clients = 64
    ready = threading.Barrier(clients)
    answers: list[bytes] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            ready.wait(timeout=30)
            answer = _raw_exchange(
                gateway, b"GET /api/health HTTP/1.1\r\nHost: local\r\nConnection: close\r\n\r\n"
            )
            with lock:
                answers.append(answer)
        except BaseException as error:  # a reset must fail the test, whatever its type
            with lock:
                failures.append(error)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(answers) == clients
    assert all(answer.startswith(b"HTTP/1.1 200 ") for answer in answers)


def test_route_table_equals_template(local_stack) -> None:
    template = load_template()
    declared = set()
    for resource in template["Resources"].values():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if resource["Type"] == "AWS::Serverless::Function" and event["Type"] == "HttpApi":
                props = event["Properties"]  # no Path and no Method: the $default route
                declared.add((props.get("Method", "ANY").upper(), props.get("Path", "$default")))
    served = {(r.method, r.path) for r in local_stack.gateway.routes}
    assert served == declared
    assert served == {(r.method, r.path) for r in http_routes()}


@pytest.mark.parametrize("path", ["/api/branch-manager/scan/cus_x/off_y", "/api/credentials/issue"])
def test_protected_post_routes_need_a_token(gateway: str, path: str) -> None:
    _assert_unauthorized(requests.post(f"{gateway}{path}", json={}, timeout=10))


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/nothing-here"), ("DELETE", "/api/offers"), ("POST", "/api/health"), ("PATCH", "/")],
)
def test_what_no_route_matches_reaches_the_default_route_and_gets_the_contracts_404(
    gateway: str, method: str, path: str
) -> None:
    # template.yaml's $default route (as deployed: API Gateway would otherwise answer `{"message": "Not Found"}`).
    response = requests.request(method, f"{gateway}{path}", data=b"\xff not json", timeout=10)
    assert response.status_code == 404
    assert response.json() == {
        "success": False,
        "error": {"code": "NOT_FOUND", "message": "No such route.", "details": []},
    }
