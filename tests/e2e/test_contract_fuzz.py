"""The OpenAPI document tells the truth: schemathesis, driven by the served document, sends generated requests (fitting
the schema and deliberately not) to every operation through the local gateway, as an owner and as a manager, and
every answer must be a documented status, match its documented schema and headers, and never be a 5xx; a request
that breaks the schema must be refused with a 4xx.

Generated ids fit the documented shape but name nothing, so half the fitting cases are pointed at a business's real
offer, customer and issuance instead: those reach the handlers' deeper paths (scans, prizes, tier changes, issuance).
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.config._checks import PositiveDataAcceptanceConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.e2e

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
# A request that fits the schema may be refused for the state it meets (no such thing, a full card, an expired
# pass, too soon, a used key), never as malformed: 400, 413 and a 422 VALIDATION_ERROR would mean the schema is
# looser than the server.
ACCEPTED = ["2xx", "401", "403", "404", "409", "410", "429"]
# A 422 that is not about the request's shape: the same key with another request (the generator repeats small
# keys), and the rules JSON Schema cannot state because they relate two values (a ladder's ranges must follow on
# from each other; a preview's stamps are bounded by the offer's own requirement).
BEYOND_THE_SCHEMA = re.compile(
    r"is already used by|only the highest tier may be open-ended|overlaps tier|leaves a gap after tier|"
    r"the highest tier must be open-ended|must not be less than minRewards|"
    r"^to: must not be before from$|^to: a range is at most|"
    r"^email: is not an address the account directory accepts$|"
    r"^brand\.\w+Color: contrast .* against the background|^(tier|audience\.tierId): is not a tier of this offer's ladder|^audience\.branchId: is not a branch of this business$|"
    r"^currentStamps: must be a whole number from 0 to (?!50$)\d+$|"
    # A campaign's audience names a tier only for TIER and a branch only for BRANCH (two values); its moment is
    # judged against now; its markup rule needs a look-ahead the schema's generators do not take.
    r"^audience\.\w+: is (required|only) for the \w+ segment$|^sendAt: must be (in the future|within \d+ days)$|"
    # ... and its pattern cannot rule out a calendar date that is none (month 67).
    r"^sendAt: must be an ISO-8601 moment with its time zone$|"
    r"^message(Ar)?: must be plain text, without HTML tags or entities$"
)


def _left_out_of_the_patterns(body: object) -> bool:
    """A character the document's patterns cannot name (loyalty.domain.customers: beyond the BMP, private use)."""
    text = json.dumps(body, ensure_ascii=False) if body is not None else ""
    return any(ord(ch) > 0xFFFF or unicodedata.category(ch) == "Co" for ch in text)


def _refused_beyond_the_schema(response: requests.Response, body: object) -> bool:
    """A 422 for a used key, for rules only between values (every detail one of BEYOND_THE_SCHEMA), or for an
    unseen character the document's patterns leave out (beyond the BMP, private use: see
    `loyalty.domain.customers`)."""
    if response.status_code not in (400, 422):
        return False
    error = response.json().get("error", {})
    if error.get("code") == "INVALID_CURSOR":  # a cursor is opaque and signed: only one handed out is valid
        return True
    if response.status_code != 422:
        return False
    if error.get("code") == "IDEMPOTENCY_KEY_REUSED":
        return True
    details = error.get("details") or []
    return bool(details) and all(
        BEYOND_THE_SCHEMA.search(f"{detail.get('field')}: {detail.get('message')}")
        or (UNSEEN.search(str(detail.get("message"))) and _left_out_of_the_patterns(body))
        for detail in details
    )


UNSEEN = re.compile(
    r"invisible or control characters|must contain a visible character|is not an email address"
)

# Per operation, per role and per mode (fitting the schema / not): bounded so the whole run stays near a minute.
EXAMPLES = 6


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)  # distinct failure → one example of it


@dataclass(frozen=True)
class Business:
    offer_id: str
    customer_id: str
    issuance_id: str


def _business(gateway: str, owner: dict[str, str]) -> Business:
    """An offer of one stamp, a customer, one prize confirmed: so the customer holds a tier and an issuance."""
    offer = requests.post(
        f"{gateway}/api/offers", headers=owner, json={"name": "Fuzz café", "stampsRequired": 1}, timeout=30
    )
    assert offer.status_code == 201, offer.text
    offer_id = offer.json()["offerId"]
    pass_ = requests.post(
        f"{gateway}/api/offers/{offer_id}/enroll",
        json={"email": f"fuzz-{uuid.uuid4().hex[:8]}@example.com", "name": "Fuzz"},
        timeout=30,
    )
    assert pass_.status_code == 201, pass_.text
    customer_id = pass_.json()["customerId"]
    stamp = f"{gateway}/api/branch-manager/scan/{customer_id}/{offer_id}"
    assert requests.post(stamp, headers=owner, timeout=30).status_code == 200
    prize = f"{gateway}/api/branch-manager/confirm-prize/{customer_id}/{offer_id}"
    confirmed = requests.post(prize, headers=owner, timeout=30)
    assert confirmed.status_code == 200, confirmed.text
    return Business(offer_id, customer_id, confirmed.json()["credentialIssuance"]["issuanceId"])


def _point_at(case: Any, business: Business) -> None:
    """The case's ids replaced by the business's real ones, wherever the operation takes them."""
    real = {
        "offerId": business.offer_id,
        "customerId": business.customer_id,
        "issuanceId": business.issuance_id,
    }
    for name in list(case.path_parameters or {}):
        if name in real:
            case.path_parameters[name] = real[name]
    if isinstance(case.body, dict):
        for name in ("customerId", "offerId"):
            if isinstance(case.body.get(name), str):  # a field left null stays null: its absence is tested
                case.body[name] = real[name]


def _exercise(
    operation: Any, mode: GenerationMode, gateway: str, auth: dict[str, str], business: Business, tally: Tally
) -> None:
    session = requests.Session()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), real_ids=st.booleans())
    def run(case: Any, real_ids: bool) -> None:
        if real_ids and mode is GenerationMode.POSITIVE:  # a broken id stays broken: it is what is tested
            _point_at(case, business)
        response = case.call(base_url=gateway, session=session, headers=auth, timeout=30)
        tally.examples += 1
        tally.statuses[response.status_code] += 1
        checks = CHECKS
        if _refused_beyond_the_schema(response, case.body if isinstance(case.body, dict) else None):
            checks = [check for check in CHECKS if check is not positive_data_acceptance]
        try:
            case.validate_response(response, checks=checks, headers=auth)
        except (Failure, FailureGroup) as failure:
            found = failure.exceptions if isinstance(failure, FailureGroup) else [failure]
            for each in found:
                distinct = f"{operation.label} answered {response.status_code}: {each.title}"
                tally.failures.setdefault(
                    distinct,
                    f"{distinct}\n{str(each).strip()[:800]}\nsent {case.body!r:.300} {case.headers!r:.200}"
                    f"\nanswered {response.text[:400]}",
                )

    try:
        run()
    except Unsatisfiable:
        # Nothing of the operation can be made to break its schema (no parameters, no body): no negative case.
        assert mode is GenerationMode.NEGATIVE, f"{operation.label}: no request fits its schema"


# Generating from the document's character classes (emails, names, keys: see loyalty.domain.customers) costs more
# than plain strings: about 2-3 minutes on a quiet machine, so this test has more than the suite's 300 s.
@pytest.mark.timeout(900)
def test_every_answer_is_documented_and_fits_its_schema(gateway: str, token, business_id: str) -> None:
    owner = {"Authorization": f"Bearer {token(role='owner', business_id=business_id)}"}
    manager = {
        "Authorization": f"Bearer {token(role='manager', business_id=business_id, branch_id='branch-fuzz')}"
    }
    business = _business(gateway, owner)
    schema = schemathesis.openapi.from_url(f"{gateway}/api/openapi.json", timeout=30)
    # The bearer token is ours to send (an owner's, a manager's), not a parameter to generate or leave out.
    schema.config.generation.update(with_security_parameters=False)
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(expected_statuses=ACCEPTED)
    tally = Tally()
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        tally.operations.add(operation.label)
        for auth in (owner, manager):
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _exercise(operation, mode, gateway, auth, business, tally)
    elapsed = time.monotonic() - started

    print(
        f"\nschemathesis: {len(tally.operations)} operations, {tally.examples} requests in {elapsed:.0f} s, "
        f"{len(tally.failures)} failures; statuses {dict(sorted(tally.statuses.items()))}"
    )
    assert len(tally.operations) >= 20
    assert tally.examples >= len(tally.operations) * 2 * 2 * 2  # at least two per operation, role and mode
    assert not tally.failures, "\n\n".join(tally.failures.values())
    assert not any(status >= 500 for status in tally.statuses)


def test_a_2000_character_path_segment_is_a_documented_4xx_everywhere(
    gateway: str, token, business_id: str
) -> None:
    owner = {"Authorization": f"Bearer {token(role='owner', business_id=business_id)}"}
    document = requests.get(f"{gateway}/api/openapi.json", timeout=30).json()
    tried = 0
    for path, operations in document["paths"].items():
        if "{" not in path:
            continue
        for method, operation in operations.items():
            url = gateway + re.sub(r"\{[^}]+\}", "x" * 2000, path)
            response = requests.request(method.upper(), url, headers=owner, timeout=30)
            tried += 1
            assert 400 <= response.status_code < 500, (method, path, response.status_code)
            assert str(response.status_code) in operation["responses"], (method, path, response.status_code)
            assert response.json()["success"] is False
    assert tried >= 14
