"""`loyalty-local backfill-directory [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
write the member directory entries of passes enrolled before the directory existed, so a search finds them.

Against the local stack's data by default (a running `make run`, else its saved data); with `--aws`, against the
deployed table named by `--table`, through the usual AWS credentials and region. Resumable and repeatable: each
pass's entries are put as the pass stands, so a run stopped by `--limit` continues with the `--start-after` it
prints, and a second whole run changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from loyalty.adapters.dynamodb.directory_backfill import backfill_directory
from loyalty_local.tools.expire_command import NoLocalData
from loyalty_local.tools.migrate_command import _key, _positive, _table


def register(commands: Any) -> None:
    """Add `backfill-directory` to the `loyalty-local` subcommands."""
    parser = commands.add_parser(
        "backfill-directory",
        help="write the member directory entries of passes from before the directory (resumable)",
        description=__doc__,
    )
    parser.add_argument("--limit", type=_positive, help="write the entries of at most this many passes")
    parser.add_argument("--start-after", type=_key, metavar="JSON", help="continue the scan after this key")
    parser.add_argument("--endpoint", help="DynamoDB endpoint (default: the running local stack's)")
    parser.add_argument("--aws", action="store_true", help="the deployed table (needs --table)")
    parser.add_argument("--table", help="table name (default: the local stack's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.aws and not args.table:
        print("loyalty-local backfill-directory: --aws needs --table", file=sys.stderr)
        return 2
    try:
        with _table(args) as (client, table):
            done = backfill_directory(client, table, limit=args.limit, start_after=args.start_after)
    except NoLocalData as missing:
        print(f"loyalty-local backfill-directory: {missing}", file=sys.stderr)
        return 1
    print(f"wrote the directory entries of {done.passes} pass(es)")
    if done.start_after is not None:
        print(f"stopped at --limit: continue with --start-after '{json.dumps(done.start_after)}'")
    else:
        print("0 to go: every pass is in its offer's directory")
    return 0
