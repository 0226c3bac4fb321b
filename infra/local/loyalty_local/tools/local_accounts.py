"""What `loyalty-local token` (and the tests' tokens) may rely on: the business a token names exists (the local
stack creates it, named after its id, when it does not), and so does the branch a manager's token names (tests
and scripts name their own). People who sign in through Cognito create theirs through the API."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb.businesses import branch_key, business_key, person_key
from loyalty.adapters.dynamodb.dynamo import condition_failed, to_item
from loyalty_local.cloud.dynamodb_local import dynamodb_client
from loyalty_local.standins.cognito import DEMO_BRANCH, DEMO_BUSINESS

if TYPE_CHECKING:
    from loyalty_local.cloud.stack import LocalStack

REGION = "us-east-1"

_made: set[tuple[str, str, str | None]] = set()
_lock = threading.Lock()


def _put_new(ddb: Any, table: str, item: dict[str, Any]) -> None:
    try:
        ddb.put_item(TableName=table, Item=to_item(item), ConditionExpression="attribute_not_exists(PK)")
    except ClientError as error:
        if not condition_failed(error):
            raise


def ensure_business(ddb: Any, table: str, business_id: str, branch_id: str | None = None) -> None:
    """The business (and the branch) a tool-made token names, created if missing; an existing one is untouched."""
    with _lock:
        if (table, business_id, branch_id) in _made:
            return
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _put_new(
        ddb,
        table,
        {
            **business_key(business_id),
            "businessId": business_id,
            "name": business_id,
            "timezone": "UTC",
            "defaultLanguage": "en",
            "createdAt": now,
            "ownerId": "local-token",
            "owners": 1,
        },
    )
    if branch_id:
        _put_new(
            ddb,
            table,
            {
                **branch_key(business_id, branch_id),
                "branchId": branch_id,
                "businessId": business_id,
                "name": branch_id,
                "status": "ACTIVE",
            },
        )
    with _lock:
        _made.add((table, business_id, branch_id))


@dataclass(frozen=True)
class DemoPerson:
    email: str
    password: str
    role: str
    branch_id: str | None


# The demo business's people, who sign in at the web apps with these (printed by the quickstart; local only).
DEMO_OWNER = DemoPerson("owner@democoffee.example", "Demo-owner-2027", "owner", None)
DEMO_MANAGER = DemoPerson("manager@democoffee.example", "Demo-manager-2027", "manager", DEMO_BRANCH)


def seed_demo_accounts(stack: LocalStack) -> tuple[DemoPerson, DemoPerson]:
    """The demo business (named, with its Downtown branch) and its owner and manager: accounts in the stack's
    Cognito pool with the passwords above, and their records in the table, as the API would have made them.
    Nothing changes for what already exists."""
    if stack.dynamodb is None or stack.cognito is None:
        raise RuntimeError("start the stack first")
    ddb = dynamodb_client(stack.dynamodb.endpoint)
    table = stack.config.table_name
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _put_new(
        ddb,
        table,
        {
            **business_key(DEMO_BUSINESS),
            "businessId": DEMO_BUSINESS,
            "name": "Coffee Corner",
            "nameAr": "ركن القهوة",
            "timezone": "Asia/Riyadh",
            "defaultLanguage": "en",
            "createdAt": now,
            "ownerId": "demo-owner",
            "owners": 1,
        },
    )
    _put_new(
        ddb,
        table,
        {
            **branch_key(DEMO_BUSINESS, DEMO_BRANCH),
            "branchId": DEMO_BRANCH,
            "businessId": DEMO_BUSINESS,
            "name": "Downtown",
            "nameAr": "وسط المدينة",
            "status": "ACTIVE",
        },
    )
    cognito = boto3.client(
        "cognito-idp", region_name=REGION, endpoint_url=stack.moto.endpoint if stack.moto else None
    )
    pool_id = stack.cognito.pool.pool_id
    for person in (DEMO_OWNER, DEMO_MANAGER):
        attributes = [
            {"Name": "email", "Value": person.email},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:businessId", "Value": DEMO_BUSINESS},
        ]
        if person.branch_id:
            attributes.append({"Name": "custom:branchId", "Value": person.branch_id})
        try:
            created = cognito.admin_create_user(
                UserPoolId=pool_id, Username=person.email, UserAttributes=attributes, MessageAction="SUPPRESS"
            )
        except cognito.exceptions.UsernameExistsException:
            continue
        user_id = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=user_id, Password=person.password, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=user_id, GroupName=person.role)
        _put_new(
            ddb,
            table,
            {
                **person_key(DEMO_BUSINESS, user_id),
                "userId": user_id,
                "businessId": DEMO_BUSINESS,
                "email": person.email,
                "role": person.role,
                "branchId": person.branch_id,
                "status": "ACTIVE",
                "invitedAt": now,
            },
        )
    return DEMO_OWNER, DEMO_MANAGER
