"""The local stack's web serving: the app's routes answer index.html, assets only from inside web/dist, and the
local sign-in has the local user pool issue a token the gateway accepts, for owners and for managers of a branch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loyalty_local.standins.cognito import KEY_ID, LocalUserPool, signing_key
from loyalty_local.tools.web import WebApp


@pytest.fixture(scope="module")
def pool() -> LocalUserPool:
    # The pool's published key given up front: a unit test reads no JWKS over the network.
    return LocalUserPool(
        "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unit",
        "unit-client",
        "http://jwks.invalid/",
        _keys={KEY_ID: signing_key().public_key()},
    )


@pytest.fixture
def web(pool: LocalUserPool, tmp_path: Path) -> WebApp:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>app</title>")
    (dist / "assets/app-1a2b.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("not served")
    return WebApp(pool, dist)


@pytest.mark.parametrize(
    "path", ["/", "/scan", "/signin", "/join/off_abc", "/pass/recover", "/offers/off_1/customers/cus_2"]
)
def test_the_apps_routes_answer_index_html(web: WebApp, path: str) -> None:
    answer = web.static(path)
    assert answer is not None
    status, body, headers = answer
    assert (status, body[:15]) == (200, b"<!doctype html>")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"


def test_assets_are_immutable_and_nothing_outside_dist_is_served(web: WebApp) -> None:
    answer = web.static("/assets/app-1a2b.js")
    assert answer is not None and answer[0] == 200 and "immutable" in answer[2]["Cache-Control"]
    assert web.static("/assets/../../secret.txt") is None
    assert web.static("/assets/missing.js") is None


@pytest.mark.parametrize("path", ["/api/offers", "/wallet/apple/v1/log", "/.well-known/jwks.json", "/join"])
def test_the_api_and_unknown_paths_are_left_to_the_gateway(web: WebApp, path: str) -> None:
    assert web.static(path) is None


def test_config_tells_the_app_to_sign_in_locally(web: WebApp) -> None:
    answer = web.static("/config.json")
    assert answer is not None
    assert json.loads(answer[1]) == {
        "auth": "local",
        "demoBusinessId": "biz_democoffee01",
        "demoBranchId": "brn_demodowntown",
    }


def test_an_unbuilt_app_says_how_to_build_it(pool: LocalUserPool, tmp_path: Path) -> None:
    answer = WebApp(pool, tmp_path / "nothing").static("/")
    assert answer is not None and answer[0] == 503 and b"make web" in answer[1]


def test_local_sign_in_issues_tokens_the_gateway_accepts(web: WebApp, pool: LocalUserPool) -> None:
    status, body, _ = web.sign_in(
        json.dumps({"role": "manager", "businessId": "biz_a1", "branchId": "b-1"}).encode()
    )
    assert status == 200
    claims = pool.verify(json.loads(body)["idToken"])
    assert (claims["cognito:groups"], claims["custom:businessId"], claims["custom:branchId"]) == (
        ["manager"],
        "biz_a1",
        "b-1",
    )
    status, body, _ = web.sign_in(
        json.dumps({"role": "owner", "businessId": "biz_a1", "branchId": "b-1"}).encode()
    )
    assert "custom:branchId" not in pool.verify(json.loads(body)["idToken"])


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (b"{", 400, None),
        (b"[]", 422, "body"),
        (b'{"role": "admin", "businessId": "biz_a1"}', 422, "role"),
        (b'{"role": "owner", "businessId": "acme"}', 422, "businessId"),
        (b'{"role": "manager", "businessId": "biz_a1"}', 422, "branchId"),
    ],
)
def test_local_sign_in_refuses_what_the_user_pool_would_not_issue(
    web: WebApp, body: bytes, status: int, field: str | None
) -> None:
    answer_status, answer, _ = web.sign_in(body)
    assert answer_status == status
    if field:
        assert json.loads(answer)["error"]["details"][0]["field"] == field
