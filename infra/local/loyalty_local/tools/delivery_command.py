"""`loyalty-local backfill-delivery [--google] [--limit N] [--start-after JSON] [--endpoint URL | --aws]
[--table NAME]`: bring the wallet delivery records of passes made before the records existed in line, and the
offers' `wallets` counts with them.

Without `--google` (Apple's half, decision 0025c): the device counts of passes whose Apple devices registered
before the records existed. With `--google` (Google's half, decision 0025e): the saved state of passes whose Google
objects were saved before Google's save/delete callbacks were subscribed, read from each object's `hasUsers` (one
GET an object, at most `--google-reads-per-second`). The halves are separate runs: each is its own scan with its
own `--start-after`, and only Google's needs Google's credentials and spends its API quota.

Against the local stack's data by default (a running `make run`, else its saved data; `--google` needs the running
stack's Google stand-in); with `--aws`, against the deployed table named by `--table`, through the usual AWS
credentials and region, and for `--google` Google Wallet's settings as the functions have them
(`GOOGLE_WALLET_ISSUER_ID`, `GOOGLE_WALLET_SERVICE_ACCOUNT_SECRET_ID`). Resumable and repeatable: a run stopped by
`--limit` (items scanned) continues with the `--start-after` it prints, and a second whole run changes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loyalty.adapters.dynamodb.delivery_backfill import backfill_delivery
from loyalty.adapters.dynamodb.google_saves_backfill import GoogleSavesRun, backfill_google_saves
from loyalty.adapters.google.users import DEFAULT_READS_PER_SECOND, GoogleObjectUsers
from loyalty_local.tools.google_reach import GoogleNotReachable, reach_google
from loyalty_local.tools.migrate_command import add_table_step, run_table_step, step_outcome


def register(commands: Any) -> None:
    """Add `backfill-delivery` to the `loyalty-local` subcommands."""
    parser = add_table_step(
        commands,
        "backfill-delivery",
        "count the wallets of passes made before delivery records and callbacks existed (resumable)",
        __doc__,
        "scan at most this many items in this run",
        run,
    )
    parser.add_argument(
        "--google",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="Google's half (saved objects, read from Google) instead of Apple's (device counts)",
    )
    parser.add_argument(
        "--google-reads-per-second",
        type=float,
        default=DEFAULT_READS_PER_SECOND,
        metavar="N",
        help=f"at most this many object reads a second from Google (default {DEFAULT_READS_PER_SECOND:g})",
    )


def run(args: argparse.Namespace) -> int:
    if args.google:
        return _run_google(args)
    done = run_table_step(args, "backfill-delivery", backfill_delivery)
    if isinstance(done, int):
        return done
    return step_outcome(
        f"looked at {done.passes} pass(es): corrected {done.corrected}, {done.busy} busy, left to the next run",
        done.start_after,
        done.busy,
        "every pass's delivery record counts its registrations",
    )


def _run_google(args: argparse.Namespace) -> int:
    try:
        users = _google_users(args)
    except GoogleNotReachable as missing:
        print(f"loyalty-local backfill-delivery --google: {missing}", file=sys.stderr)
        return 1

    def step(client: Any, table: str, **where: Any) -> GoogleSavesRun:
        return backfill_google_saves(client, table, users.has_users, **where)

    done = run_table_step(args, "backfill-delivery", step)
    if isinstance(done, int):
        return done
    return step_outcome(
        (
            f"looked at {done.passes} pass(es), asked Google of {done.asked}: saved {done.saved},"
            f" not saved {done.unsaved}, {done.meanwhile} told by a callback meanwhile,"
            f" {done.left} unanswered, left to the next run"
        ),
        done.start_after,
        done.left,
        "every pass's Google saved state is known",
    )


def _google_users(args: argparse.Namespace) -> GoogleObjectUsers:
    """Google's objects as the deployed functions reach them (`--aws`), else the running stack's stand-in."""
    google = reach_google(args.aws)
    return GoogleObjectUsers(google.client(), google.issuer_id, args.google_reads_per_second)
