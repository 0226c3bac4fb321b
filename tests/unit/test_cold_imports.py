"""What a cold start pays for (issue 19, item 7): a handler loads what its route uses, and the document's Unicode
patterns, which no request needs, are made when a document is, yet say what they said."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from loyalty.domain.customers import bmp_class, email_pattern, name_pattern
from loyalty.entrypoints.http.contract import NOT_ONLY_SPACES, EnrollmentRequest
from loyalty.entrypoints.http.operations import OfferEdit
from loyalty.entrypoints.http.params import _KEY_PATTERN
from loyalty.entrypoints.http.staff_contract import Invitation, NewBusiness

REPO = Path(__file__).resolve().parents[2]


def _full_scan(take, last: int = 0xFFFF) -> str:  # type: ignore[no-untyped-def]
    """The class as it was first made: every code point, its category looked up one by one."""
    ranges: list[tuple[int, int]] = []
    for code in range(last + 1):
        ch = chr(code)
        if unicodedata.category(ch) in ("Co", "Cs") or not take(ch):
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(f"\\u{low:04x}" if low == high else f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


def test_the_code_points_a_class_leaves_out_are_exactly_the_bmps_surrogates_and_private_use() -> None:
    left_out = {code for code in range(0x10000) if unicodedata.category(chr(code)) in ("Cs", "Co")}
    assert left_out == set(range(0xD800, 0xF900))


@pytest.mark.parametrize(
    ("take", "last"),
    [
        (str.isspace, 0xFFFF),
        (lambda ch: not ch.isprintable(), 0xFF),
        (lambda ch: unicodedata.category(ch) == "Cf", 0xFFFF),
        (lambda ch: True, 0xFFFF),  # every class reaches across the left-out block without joining it
    ],
)
def test_a_class_is_what_a_scan_of_every_code_point_finds(take, last: int) -> None:  # type: ignore[no-untyped-def]
    assert bmp_class(take, last=last) == _full_scan(take, last)


def test_the_patterns_made_at_import_are_those_a_full_scan_makes() -> None:
    assert f"[^{_full_scan(str.isspace)}]" == NOT_ONLY_SPACES
    unprintable = _full_scan(lambda ch: ord(ch) <= 0xFF and not ch.isprintable())
    assert f"[^{unprintable} ]" in _KEY_PATTERN


def test_the_document_still_carries_the_email_name_and_time_zone_rules() -> None:
    enroll = EnrollmentRequest.model_json_schema()["properties"]
    assert enroll["email"]["pattern"] == email_pattern()
    assert enroll["name"]["pattern"] == name_pattern()
    assert Invitation.model_json_schema()["properties"]["email"]["pattern"] == email_pattern()
    zones = NewBusiness.model_json_schema()["properties"]["timezone"]["enum"]
    assert "Asia/Riyadh" in zones and zones == sorted(zones)
    assert OfferEdit.model_json_schema()["properties"]["timezone"]["enum"] == zones


# Run in a fresh interpreter, as a Lambda container starts: import the handler, then what its first request builds.
_COLD_START = """
import importlib.util, json, sys
path = sys.argv[1]
sys.path.insert(0, str(__import__("pathlib").Path(path).parent))
spec = importlib.util.spec_from_file_location("cold_handler", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from loyalty import bootstrap
from loyalty.domain import customers, offers
bootstrap.settings()
patterns = customers.email_pattern.cache_info().currsize + customers.name_pattern.cache_info().currsize
zones = offers.known_timezones.cache_info().currsize
print(json.dumps({"modules": sorted(sys.modules), "patterns": patterns, "zones": zones}))
"""


def _cold_start(function: str) -> dict[str, object]:
    env = {**os.environ, "TABLE_NAME": "unit", "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run(
        [sys.executable, "-c", _COLD_START, str(REPO / "functions" / function / "app.py")],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("function", ["scan", "enroll", "business", "offers"])
def test_a_cold_handler_makes_no_document_pattern_and_reads_no_time_zone_database(function: str) -> None:
    started = _cold_start(function)
    assert (started["patterns"], started["zones"]) == (0, 0)


def test_a_cold_scan_loads_none_of_what_only_other_routes_render() -> None:
    modules = set(_cold_start("scan")["modules"])  # type: ignore[call-overload]
    assert "loyalty.entrypoints.http.pass_contract" in modules  # the probe did load the handler
    only_elsewhere = {
        "loyalty.domain.stats",
        "loyalty.domain.member_search",
        "loyalty.domain.wallet_delivery",
        "loyalty.app.ports.customers",
        "loyalty.entrypoints.http.staff_contract",
    }
    assert modules & only_elsewhere == set()


# Declarations of other routes: the offers', the passes' and the business's operations, the staff's.
_ROUTE_MODELS = {"loyalty.entrypoints.http.contract", "loyalty.entrypoints.http.operations"}


@pytest.mark.parametrize(
    ("function", "also_not_loaded"),
    [
        # no input, no pass: not the renderer, not a pass's results
        ("health", {"loyalty.entrypoints.http.render", "loyalty.domain.pass_results"}),
        ("jwks", {"loyalty.entrypoints.http.render", "loyalty.domain.pass_results"}),
        ("members", set()),
        ("offer-stats", set()),
        ("business", set()),
        ("business-brand", set()),
        ("scan", set()),
        ("void-stamp", set()),
        ("customers", set()),
        ("credential-issue", set()),
    ],
)
def test_a_cold_handler_loads_only_its_own_routes_declarations(
    function: str, also_not_loaded: set[str]
) -> None:
    modules = set(_cold_start(function)["modules"])  # type: ignore[call-overload]
    assert "loyalty.entrypoints.http.wire" in modules  # the probe did load the handler
    assert modules & (_ROUTE_MODELS | also_not_loaded) == set()


def test_the_benchs_first_request_reaches_the_table_and_is_answered() -> None:
    """The cold-start bench counts a handler's first request: it must get past validation and auth to its
    DynamoDB read (a closed port), and be answered, not crash the probe."""
    from bench import bench_cold_import

    env = bench_cold_import._environment(str(REPO / ".pytest_cache" / "bench-bytecode"))
    out = subprocess.run(
        [sys.executable, "-c", bench_cold_import._PROBE, str(REPO / "functions/members/app.py"), "http"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    lines = out.stdout.strip().splitlines()
    access = json.loads(next(line for line in lines if '"message":"request"' in line))
    assert (access["route"], access["status"]) == ("GET /api/offers/{offerId}/customers", 500)
    assert "EndpointConnectionError" in out.stdout  # the read did go to DynamoDB
    assert float(lines[-1]) > 0
