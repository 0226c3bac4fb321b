"""What `make run` shows of the portable credential on a fresh start: the demo member climbs a tier and the
credential is followed through the sandbox until it is ONCHAIN. A restart on kept data leaves it be, so that it writes nothing."""

from __future__ import annotations

import time
from typing import Any

import requests

from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.airkit import AirKitSandbox
from loyalty_local.tools.quickstart import Demo

DEMO_MEMBER = {"email": "demo-member@example.com", "name": "Demo Member", "preferredLanguage": "en"}
FINAL = ("ONCHAIN", "FAILED", "TIMED_OUT")


def _start(stack: LocalStack, demo: Demo, offer_id: str) -> tuple[str, dict[str, Any]]:
    url = stack.base_url
    manager = {"Authorization": f"Bearer {demo.manager_token}"}
    enrolled = requests.post(f"{url}/api/offers/{offer_id}/enroll", json=DEMO_MEMBER, timeout=30)
    enrolled.raise_for_status()
    customer_id = enrolled.json()["customerId"]
    while True:
        claimed = requests.post(
            f"{url}/api/branch-manager/confirm-prize/{customer_id}/{offer_id}", headers=manager, timeout=30
        )
        if claimed.status_code == 200:
            body = claimed.json()
            return body["tierUpgrade"]["message"], body["credentialIssuance"]
        requests.post(
            f"{url}/api/branch-manager/scan/{customer_id}/{offer_id}", headers=manager, timeout=30
        ).raise_for_status()


def credential_demo_lines(stack: LocalStack, demo: Demo, within: float = 60.0) -> list[str]:
    sandbox = next((a for a in stack.addons if isinstance(a, AirKitSandbox)), None)
    if sandbox is None or demo.offer_id is None:
        return []
    if not demo.created:  # shown on the first start; a restart starts no workflow of its own
        return [f"  AIR Kit        {sandbox.base_url}   (local sandbox)", ""]
    began = time.monotonic()
    try:
        how, started = _start(stack, demo, demo.offer_id)
        issuance_id = started["issuanceId"]
        owner = {"Authorization": f"Bearer {demo.owner_token}"}
        while True:
            current = requests.get(
                f"{stack.base_url}/api/credentials/issuances/{issuance_id}", headers=owner, timeout=30
            ).json()
            if current["status"] in FINAL or time.monotonic() - began > within:
                break
            time.sleep(0.5)
    except (requests.RequestException, KeyError) as error:
        return [f"  credential     demo did not run: {type(error).__name__}: {error}"]
    return [
        f"  AIR Kit        {sandbox.base_url}   (local sandbox; what it holds: "
        f"{sandbox.base_url.removesuffix('/v1')}/_control/credentials)",
        f"  credential     {DEMO_MEMBER['email']}: {how} -> issuance {issuance_id} "
        f"{current['status']} in {time.monotonic() - began:.1f} s (coreClaimHash {current['coreClaimHash']})",
        f'curl -s {stack.base_url}/api/credentials/issuances/{issuance_id} -H "Authorization: Bearer $OWNER"',
        "",
    ]
