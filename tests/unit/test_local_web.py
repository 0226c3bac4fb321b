"""The local stack's web serving: the app's routes answer index.html, assets only from inside web/dist, and the
`/config.json` sends the app to the stack's Cognito front with the pool's app client."""

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
    "path",
    [
        "/",
        "/scan",
        "/signin",
        "/welcome",
        "/branches",
        "/staff",
        "/join/off_abc",
        "/pass/recover",
        "/offers/off_1/customers/cus_2",
    ],
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


def test_config_sends_the_app_to_the_stacks_cognito_with_the_pools_client(web: WebApp) -> None:
    answer = web.static("/config.json")
    assert answer is not None
    assert json.loads(answer[1]) == {
        "auth": "cognito",
        "region": "us-east-1",
        "clientId": "unit-client",
        "endpoint": "/_local/cognito-idp/",
    }


def test_an_unbuilt_app_says_how_to_build_it(pool: LocalUserPool, tmp_path: Path) -> None:
    answer = WebApp(pool, tmp_path / "nothing").static("/")
    assert answer is not None and answer[0] == 503 and b"make web" in answer[1]
