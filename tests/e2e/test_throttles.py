"""The public door's throttles with the template's own defaults (issue 12): a script is stopped with 429 and
`Retry-After`, a busy counter enrolling a customer every few seconds never is. This module runs a stack of its
own, in a process of its own, because the shared one lifts the limits for the rest of the suite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from loyalty_local.cloud.template import functions, parameter_defaults
from loyalty_local.standins.cognito import LocalUserPool, pool_file
from tests.support.counter import Counter

pytestmark = pytest.mark.e2e

DEFAULTS = parameter_defaults()
PER_ADDRESS = int(DEFAULTS["EnrollLimitPerAddress"])
PER_OFFER = int(DEFAULTS["EnrollLimitPerOffer"])


@dataclass(frozen=True)
class Door:
    base_url: str
    user_pool_file: Path
    data_dir: Path


@pytest.fixture(scope="module")
def door(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Door]:
    """`loyalty-local run` in a process of its own, as a developer starts it: the template's limits, and none of
    the shared stack's (functions of one process share their settings)."""
    data_dir = tmp_path_factory.mktemp("door-stack")
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("ENROLL_LIMIT", "RECOVERY_LIMIT"))
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "loyalty_local.tools.cli", "run", "--port", "0"],
        env={**environment, "LOYALTY_LOCAL_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        state_file = data_dir / "stack.json"
        deadline = time.monotonic() + 180
        while not state_file.exists():
            assert process.poll() is None, "the local stack exited while starting"
            assert time.monotonic() < deadline, "the local stack did not start"
            time.sleep(0.2)
        yield Door(
            json.loads(state_file.read_text(encoding="utf-8"))["baseUrl"], pool_file(data_dir), data_dir
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def offer_id(door: Door) -> str:
    pool = LocalUserPool.load(door.user_pool_file)
    owner = Counter(door.base_url, pool.issue("owner", "biz_" + uuid.uuid4().hex[:20], None))
    return owner.create_offer()


class From(requests.adapters.HTTPAdapter):
    """Requests sent from one loopback address (127.0.0.0/8 is all ours), as distinct clients are."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", From(address))
    return session


def enroll(session: requests.Session, base_url: str, offer_id: str) -> requests.Response:
    body = {"email": f"{uuid.uuid4().hex[:10]}@example.com", "name": "Jane"}
    return session.post(f"{base_url}/api/offers/{offer_id}/enroll", json=body, timeout=30)


def fresh_window(needed_seconds: int) -> None:
    """Start where the current one-minute window leaves the test enough time (windows are aligned minutes)."""
    left = 60 - time.time() % 60
    if left < needed_seconds:
        time.sleep(left + 0.2)


def test_a_script_from_one_address_is_stopped_with_retry_after(door: Door, offer_id: str) -> None:
    script = client("127.0.0.2")
    fresh_window(20)
    answers = [enroll(script, door.base_url, offer_id) for _ in range(PER_ADDRESS + 5)]
    assert [a.status_code for a in answers] == [201] * PER_ADDRESS + [429] * 5
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "TOO_MANY_REQUESTS"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60

    neighbour = client("127.0.0.3")
    assert enroll(neighbour, door.base_url, offer_id).status_code == 201, "another address is not held back"


def test_many_addresses_at_one_offer_stop_at_the_offer_limit(door: Door, offer_id: str) -> None:
    fresh_window(30)

    def one(n: int) -> int:
        return enroll(client(f"127.0.{1 + n // 200}.{10 + n % 200}"), door.base_url, offer_id).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(one, range(PER_OFFER + 10)))
    assert (statuses.count(201), statuses.count(429)) == (PER_OFFER, 10)


def test_seven_flooding_addresses_leave_an_offer_open_to_a_new_customer(door: Door, offer_id: str) -> None:
    """The red team's flood: a handful of addresses, each at its own limit and past it, at one offer."""
    fresh_window(40)
    flooders = [client(f"127.0.9.{n}") for n in range(1, 8)]

    def flood(session: requests.Session) -> list[int]:
        return [enroll(session, door.base_url, offer_id).status_code for _ in range(PER_ADDRESS + 5)]

    with ThreadPoolExecutor(7) as pool:
        floods = list(pool.map(flood, flooders))
    assert all(statuses.count(201) == PER_ADDRESS for statuses in floods)
    assert 7 * PER_ADDRESS > PER_OFFER, "the flood is larger than the offer's limit in requests"
    newcomer = enroll(client("127.0.9.8"), door.base_url, offer_id)
    assert newcomer.status_code == 201, newcomer.text


def test_a_flood_of_enrolls_for_a_members_email_never_stops_their_own_mail(door: Door, offer_id: str) -> None:
    from tests.support.counter import mailbox

    email = f"member-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "name": "Victoria"}
    url = f"{door.base_url}/api/offers/{offer_id}/enroll"
    assert client("127.0.8.1").post(url, json=body, timeout=30).status_code == 201
    fresh_window(20)
    attacker = client("127.0.8.2")
    hourly = int(functions()["EnrollFunction"].environment["RECOVERY_MAILS_PER_HOUR"])
    for _ in range(hourly + 3):
        assert attacker.post(url, json={**body, "name": "Mallory"}, timeout=30).status_code == 202
    assert len(mailbox(door.base_url, email)) == hourly, "the attacker's address is held to its own allowance"
    member = client("127.0.8.3")
    assert member.post(url, json=body, timeout=30).status_code == 202
    assert len(mailbox(door.base_url, email)) == hourly + 1, "the member's own request is mailed"


def test_a_forged_viewer_address_does_not_escape_the_limit(door: Door, offer_id: str) -> None:
    script = client("127.0.6.1")
    fresh_window(20)
    answers = [
        script.post(
            f"{door.base_url}/api/offers/{offer_id}/enroll",
            json={"email": f"{uuid.uuid4().hex[:10]}@example.com", "name": "Jane"},
            headers={"CloudFront-Viewer-Address": f"198.51.100.{n}:443", "X-Origin-Verify": "guessed"},
            timeout=30,
        ).status_code
        for n in range(PER_ADDRESS + 3)
    ]
    assert answers == [201] * PER_ADDRESS + [429] * 3


def test_through_our_distribution_each_customer_has_their_own_limit(door: Door, offer_id: str) -> None:
    from loyalty_local.cloud.origin_verify import VALUE_FILE, OriginVerify

    cloudfront = OriginVerify((door.data_dir / VALUE_FILE).read_text(encoding="utf-8").strip())
    edge = client("127.0.6.2")  # one CloudFront edge, many customers behind it
    fresh_window(20)

    def enroll_as(viewer: str) -> int:
        return edge.post(
            f"{door.base_url}/api/offers/{offer_id}/enroll",
            json={"email": f"{uuid.uuid4().hex[:10]}@example.com", "name": "Jane"},
            headers=cloudfront.headers(f"{viewer}:52311"),
            timeout=30,
        ).status_code

    assert [enroll_as("203.0.113.50") for _ in range(PER_ADDRESS + 2)] == [201] * PER_ADDRESS + [429] * 2
    assert enroll_as("203.0.113.51") == 201, "another customer behind the same edge is not held back"
    assert enroll_as("2001:db8::51") == 201


def test_recovery_attempts_are_throttled_per_address(door: Door) -> None:
    guesser = client("127.0.0.4")
    fresh_window(20)
    limit = int(DEFAULTS["RecoveryLimitPerAddress"])
    answers = [
        guesser.post(f"{door.base_url}/api/passes/recover", json={"token": "A" * 43}, timeout=30).status_code
        for _ in range(limit + 2)
    ]
    assert answers == [404] * limit + [429] * 2


def test_the_template_throttles_every_public_route_below_the_default() -> None:
    from loyalty_local.cloud.template import DEFAULT_ROUTE, http_routes, load_template

    api = load_template()["Resources"]["HttpApi"]["Properties"]
    settings = api["RouteSettings"]
    default = api["DefaultRouteSettings"]
    public = {r.route_key for r in http_routes() if r.public and r.path != DEFAULT_ROUTE}
    assert public <= set(settings), f"public routes without their own budget: {public - set(settings)}"
    assert set(settings) <= {r.route_key for r in http_routes()}, "a budget for a route that does not exist"

    def limit(value: object) -> int:
        return int(DEFAULTS[value["Ref"]]) if isinstance(value, dict) else int(str(value))

    for key in public:
        assert limit(settings[key]["ThrottlingRateLimit"]) < default["ThrottlingRateLimit"], key
    for key in ("POST /api/offers/{offerId}/enroll", "POST /api/passes/recover"):
        assert settings[key]["ThrottlingRateLimit"] == {"Ref": "PublicRouteRateLimit"}
