"""What `make run` prints and seeds: a demo business with an offer, tokens for its owner and a manager, and curl
lines a newcomer can paste. The seed goes through the public HTTP contract, like the dashboard would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from loyalty_local.cloud.stack import LocalStack
from loyalty_local.standins.cognito import DEMO_BRANCH, DEMO_BUSINESS
from loyalty_local.tools.local_accounts import DEMO_MANAGER, DEMO_OWNER, seed_demo_accounts

DEMO_OFFER = {
    "name": "Coffee Card",
    "nameAr": "بطاقة القهوة",
    "stampsRequired": 5,
    "rewardDescription": "A free coffee of your choice",
    "rewardDescriptionAr": "قهوة مجانية من اختيارك",
}
TOKEN_TTL = 12 * 3600


@dataclass
class Demo:
    owner_token: str
    manager_token: str
    offer_id: str | None
    note: str | None = None
    # The demo offer was made by this start (fresh data); a restart on kept data writes nothing.
    created: bool = False


def seed_demo(stack: LocalStack) -> Demo:
    if stack.user_pool is None:
        raise RuntimeError("the demo needs the local user pool: start the stack first")
    # The business, its branch and its two people first: the tokens below name them.
    seed_demo_accounts(stack)
    owner = stack.user_pool.issue("owner", DEMO_BUSINESS, ttl=TOKEN_TTL, sub="demo-owner")
    manager = stack.user_pool.issue("manager", DEMO_BUSINESS, DEMO_BRANCH, ttl=TOKEN_TTL, sub="demo-manager")
    headers = {"Authorization": f"Bearer {owner}"}
    listed = requests.get(f"{stack.base_url}/api/offers", headers=headers, timeout=30)
    if listed.status_code != 200:
        return Demo(owner, manager, None, f"offers are not served yet ({listed.status_code})")
    offers: list[dict[str, Any]] = listed.json().get("items", [])
    existing = next((o for o in offers if o.get("name") == DEMO_OFFER["name"]), None)
    if existing:
        return Demo(owner, manager, existing["offerId"])
    created = requests.post(f"{stack.base_url}/api/offers", headers=headers, json=DEMO_OFFER, timeout=30)
    if created.status_code != 201:
        return Demo(owner, manager, None, f"could not create the demo offer ({created.status_code})")
    return Demo(owner, manager, created.json()["offerId"], created=True)


def print_quickstart(stack: LocalStack, demo: Demo) -> None:
    url = stack.base_url
    offer = demo.offer_id or "<offerId>"
    # A new email on every paste: an email already enrolled is answered 202 and mailed its pass instead.
    enroll_body = '{\\"email\\": \\"jane.$RANDOM$RANDOM@example.com\\", \\"name\\": \\"Jane\\"}'
    lines = [
        "",
        "Loyalty platform - local stack is up",
        f"  API            {url}   (health: {url}/api/health)",
        f"  Web apps       {url}/   dashboard, {url}/scan scanner; sign up a business of your own, or sign in as",
        f"                 the demo owner  {DEMO_OWNER.email} / {DEMO_OWNER.password}",
        f"                 the demo manager {DEMO_MANAGER.email} / {DEMO_MANAGER.password} (branch Downtown)",
        f"  DynamoDB Local {stack.dynamodb.endpoint if stack.dynamodb else '-'}   data in .local/dynamodb",
        f"  moto           {stack.moto.endpoint if stack.moto else '-'}   (Step Functions, Secrets Manager, SSM, SQS,"
        " SES, Cognito: its mail at /_local/mail)",
        # Add-ons that have something to say (an emulator's address) say it in one line.
        *(addon.describe() for addon in stack.addons if hasattr(addon, "describe")),
        f"  demo business  {DEMO_BUSINESS} (Coffee Corner, branch {DEMO_BRANCH})   demo offer {offer}",
    ]
    if demo.note:
        lines.append(f"  note           {demo.note}")
    lines += [
        "",
        f"export OWNER='{demo.owner_token}'",
        f"export MANAGER='{demo.manager_token}'",
        "",
        "# a customer joins (public), the scanner stamps five times, then confirms the prize (paste as is):",
        f"CUSTOMER=$(curl -s -X POST {url}/api/offers/{offer}/enroll -H 'Content-Type: application/json' "
        f'-d "{enroll_body}" | python3 -c \'import json,sys; print(json.load(sys.stdin)["customerId"])\')',
        f"for visit in 1 2 3 4 5; do curl -s -X POST {url}/api/branch-manager/scan/$CUSTOMER/{offer} "
        '-H "Authorization: Bearer $MANAGER"; echo; done',
        f'curl -s -X POST {url}/api/branch-manager/confirm-prize/$CUSTOMER/{offer} -H "Authorization: Bearer $MANAGER"',
        f'curl -s {url}/api/offers -H "Authorization: Bearer $OWNER"',
        f"# mail the stack would send through SES (a recovery link when an enrolled email enrolls again): "
        f"{url}/_local/mail?to=<email>",
        "",
        "More tokens: .venv/bin/loyalty-local token --role owner|manager --business-id ID [--branch-id ID]",
        "Ctrl-C stops everything; data stays in .local/ for the next `make run`.",
        "",
    ]
    print("\n".join(lines), flush=True)
