"""Where a pass rendered now sends the phone: the Apple Wallet function's URL from its SSM parameter, read once per
container; the stage's origin while the parameter cannot be read, asked again after a while."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from loyalty import bootstrap
from loyalty.adapters.apple.rendering import PassRenderer
from loyalty.adapters.apple.web_service_address import WebServiceAddress
from loyalty.settings import InvalidSettings
from tests.support.apple_passes import a_pass, an_issuer, an_offer
from tests.support.ssm_fakes import FakeParameters
from tests.support.wallet_certs import make_chain, signing_credentials, unzip

NAME = "/loyalty/prod/apple-wallet/web-service-url"
FUNCTION_URL = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/"
ORIGIN = "https://api.example.com/wallet/apple"


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_function_url_is_read_once_and_kept() -> None:
    ssm = FakeParameters({NAME: FUNCTION_URL})
    address = WebServiceAddress(ssm, NAME, ORIGIN)
    assert address() == "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/wallet/apple"
    for _ in range(5):
        address()
    assert ssm.requests == 1


def test_a_missing_parameter_keeps_the_origin_until_it_is_asked_again() -> None:
    ssm, clock = FakeParameters(), Ticks()
    address = WebServiceAddress(ssm, NAME, ORIGIN + "/", retry_seconds=60, clock=clock)
    assert address() == ORIGIN
    clock.now += 59
    assert address() == ORIGIN
    assert ssm.requests == 1  # the miss is kept: no request a render

    ssm.values[NAME] = FUNCTION_URL
    clock.now += 2  # past the minute
    assert address().startswith("https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.")
    clock.now += 10_000
    address()
    assert ssm.requests == 2


@pytest.mark.parametrize(
    "value",
    [
        "",
        "http://abc.lambda-url.eu-west-1.on.aws/",
        "https://abc.lambda-url.eu-west-1.on.aws/some/path",
        "ftp://x/",
    ],
)
def test_a_value_that_is_no_function_url_is_not_put_on_passes(value: str) -> None:
    address = WebServiceAddress(FakeParameters({NAME: value}), NAME, ORIGIN)
    assert address() == ORIGIN


def test_the_local_stacks_loopback_url_is_taken() -> None:
    address = WebServiceAddress(FakeParameters({NAME: "http://127.0.0.1:3001/"}), NAME, ORIGIN)
    assert address() == "http://127.0.0.1:3001/wallet/apple"


def test_a_rendered_pass_carries_the_address_asked_at_its_render() -> None:
    chain = make_chain("pass.test.loyalty", "TEAM123456")
    where = ["https://one.lambda-url.eu-west-1.on.aws/wallet/apple"]
    issuer = an_issuer(chain.pass_type_id, chain.team_id)
    renderer = PassRenderer(issuer, lambda: signing_credentials(chain), 90, web_service_url=lambda: where[0])
    offer = an_offer()
    pass_ = a_pass(offer)
    assert json.loads(unzip(renderer.render(pass_, offer))["pass.json"])["webServiceURL"] == where[0]
    where[0] = ORIGIN
    assert json.loads(unzip(renderer.render(pass_, offer))["pass.json"])["webServiceURL"] == ORIGIN


@pytest.fixture
def apple_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "TABLE_NAME": "t",
        "APPLE_WALLET_PASS_TYPE_ID": "pass.com.example.loyalty",
        "APPLE_WALLET_TEAM_ID": "ABCDE12345",
        "APPLE_WALLET_ORGANIZATION_NAME": "Example Coffee",
        "APPLE_WALLET_WEB_SERVICE_URL": ORIGIN,
        "APPLE_WALLET_CERTIFICATE_SECRET_ID": "loyalty/prod/apple-wallet/pass-certificate",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("APPLE_WALLET_WEB_SERVICE_URL_PARAMETER", raising=False)
    monkeypatch.delenv("APPLE_WALLET_FUNCTION_URL", raising=False)
    bootstrap.reset()
    yield
    bootstrap.reset()


def test_without_a_parameter_name_passes_keep_the_stages_origin(apple_environment: None) -> None:
    assert bootstrap.apple_web_service_url()() == ORIGIN


def test_a_function_given_the_url_uses_it_and_reads_no_parameter(
    apple_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enroll and pass recovery are given the URL (template.yaml): no SSM client, no Parameter Store read."""
    monkeypatch.setenv("APPLE_WALLET_FUNCTION_URL", "https://abc123.lambda-url.us-east-1.on.aws/")
    monkeypatch.setenv("APPLE_WALLET_WEB_SERVICE_URL_PARAMETER", "/loyalty/prod/apple-wallet/web-service-url")
    monkeypatch.setattr(bootstrap, "aws_client", lambda service: pytest.fail(f"a {service} client was built"))
    bootstrap.reset()
    assert bootstrap.apple_web_service_url()() == "https://abc123.lambda-url.us-east-1.on.aws/wallet/apple"


def test_a_given_url_that_is_not_https_is_refused_at_start(
    apple_environment: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPLE_WALLET_FUNCTION_URL", "http://abc123.lambda-url.us-east-1.on.aws/")
    bootstrap.reset()
    with pytest.raises(InvalidSettings, match="APPLE_WALLET_FUNCTION_URL"):
        bootstrap.settings()
