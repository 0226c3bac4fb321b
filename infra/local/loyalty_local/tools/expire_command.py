"""`loyalty-local expire-passes [--days N] [--as-of ISO-8601] [--dry-run] [--list]`: the weekly inactivity expiry,
by hand.

It runs the same code as the scheduled function, against the local stack's data: the DynamoDB Local of a running
`make run` when there is one, otherwise the stack's saved data directly. It prints the run's JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from loyalty.adapters.dynamodb.activity_index import ActivityIndex
from loyalty.adapters.dynamodb.offers import DynamoOfferStore
from loyalty.adapters.dynamodb.reminders import DynamoReminderIndex
from loyalty.app.passes.expiry import expire_inactive_passes
from loyalty.app.passes.reminders import send_expiry_reminders
from loyalty.domain.clock import parse_iso, utc_now
from loyalty.domain.expiry import ExpiryCutoff, InvalidInactivityDays, parse_inactivity_days
from loyalty_local.cloud.dynamodb_local import dynamodb_client, start_dynamodb_local
from loyalty_local.cloud.stack import StackConfig, default_data_dir, running_stack_state
from loyalty_local.cloud.template import parameter_defaults

DAYS_VARIABLE = "PASS_INACTIVITY_EXPIRATION_DAYS"
DAYS_PARAMETER = "PassInactivityExpirationDays"


class NoLocalData(RuntimeError):
    """There is no local table to expire passes in."""


def register(commands: Any) -> None:
    """Add `expire-passes` to the `loyalty-local` subcommands."""
    parser = commands.add_parser(
        "expire-passes",
        help="expire passes idle for longer than the threshold and print a JSON summary",
        description=__doc__,
    )
    parser.add_argument(
        "--days",
        type=_days,
        help=f"inactivity threshold in days (default: {DAYS_VARIABLE}, else the template's default)",
    )
    parser.add_argument(
        "--as-of",
        type=_moment,
        metavar="ISO-8601",
        help="evaluate inactivity as if it were this moment (default: now); a date alone means its midnight UTC",
    )
    parser.add_argument("--dry-run", action="store_true", help="report what would expire, change nothing")
    parser.add_argument(
        "--list",
        action="store_true",
        help="name the passes that expire (or would, with --dry-run): `passes` in the summary",
    )
    parser.add_argument("--endpoint", help="DynamoDB endpoint (default: the running local stack's)")
    parser.add_argument("--table", help="table name (default: the local stack's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        days = args.days or default_days()
    except InvalidInactivityDays as invalid:
        print(f"loyalty-local expire-passes: {invalid}", file=sys.stderr)
        return 2
    cutoff = ExpiryCutoff(as_of=args.as_of or utc_now(), days=days)
    try:
        with local_table(args.endpoint, args.table) as (client, table):
            result = expire_inactive_passes(
                ActivityIndex(client, table),
                cutoff,
                clock=utc_now,
                dry_run=args.dry_run,
                list_passes=args.list,
            )
            summary = result.summary()
            if not args.dry_run:
                # As the weekly function does: the reminders of the week due, right after the expiry.
                reminders = send_expiry_reminders(
                    DynamoReminderIndex(client, table),
                    DynamoOfferStore(client, table),
                    cutoff.as_of,
                    days,
                    clock=utc_now,
                    whole_months=cutoff.whole_months,  # an exact run reminds by the exact rule too
                )
                summary["reminders"] = reminders.summary()
    except NoLocalData as missing:
        print(f"loyalty-local expire-passes: {missing}", file=sys.stderr)
        return 1
    print(json.dumps(summary, indent=2))
    return 0


def default_days() -> int:
    """As the deployed function gets it: the environment variable, else the template parameter's default."""
    configured = os.environ.get(DAYS_VARIABLE)
    if configured is None:
        configured = str(parameter_defaults().get(DAYS_PARAMETER) or "")
    return parse_inactivity_days(configured, DAYS_VARIABLE)


@contextmanager
def local_table(endpoint: str | None, table: str | None) -> Iterator[tuple[Any, str]]:
    """A DynamoDB client and table name: as given, else the running stack's, else the saved local data."""
    if endpoint is not None:
        yield dynamodb_client(endpoint), table or StackConfig().table_name
        return
    state = running_stack_state()
    if state is not None:
        yield dynamodb_client(state["dynamodbEndpoint"]), table or state["tableName"]
        return
    saved = default_data_dir() / "dynamodb"
    if not saved.is_dir():
        raise NoLocalData(f"no local data in {saved}: start the stack once with `make run`")
    local = start_dynamodb_local(db_path=saved)
    try:
        client = dynamodb_client(local.endpoint)
        name = table or StackConfig().table_name
        try:
            client.describe_table(TableName=name)
        except client.exceptions.ResourceNotFoundException as absent:
            raise NoLocalData(
                f"no table {name!r} in {saved}: start the stack once with `make run`"
            ) from absent
        yield client, name
    finally:
        local.stop()


def _days(text: str) -> int:
    try:
        return parse_inactivity_days(text.strip() or "invalid", "--days")
    except InvalidInactivityDays as invalid:
        raise argparse.ArgumentTypeError(str(invalid)) from invalid


def _moment(text: str) -> datetime:
    try:
        return parse_iso(text)
    except ValueError as invalid:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 moment: {text!r}") from invalid
