"""`loyalty-local migrate-passes [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`: rewrite
the pass items of the layout before the one-write scan in the current one (docs/decisions/0019).

Against the local stack's data by default (a running `make run`, else its saved data); with `--aws`, against the
deployed table named by `--table`, through the usual AWS credentials and region. Resumable: run it again until it
says `0 to go`; a run stopped by `--limit` prints the `--start-after` to continue from.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from loyalty.adapters.dynamodb.pass_migration import migrate_pass_items
from loyalty_local.tools.expire_command import NoLocalData, local_table

T = TypeVar("T")


def register(commands: Any) -> None:
    """Add `migrate-passes` to the `loyalty-local` subcommands."""
    add_table_step(
        commands,
        "migrate-passes",
        "bring pass items of the layout before the one-write scan to the current one (resumable)",
        __doc__,
        "convert at most this many items in this run",
        run,
    )


def add_table_step(
    commands: Any, name: str, summary: str, doc: str | None, limit_help: str, func: Callable[..., int]
) -> argparse.ArgumentParser:
    """A resumable step over a table's items: `--limit`, `--start-after`, and where the table is (the parser,
    for a step's own options)."""
    parser = commands.add_parser(name, help=summary, description=doc)
    parser.add_argument("--limit", type=_positive, help=limit_help)
    parser.add_argument("--start-after", type=_key, metavar="JSON", help="continue the scan after this key")
    parser.add_argument("--endpoint", help="DynamoDB endpoint (default: the running local stack's)")
    parser.add_argument("--aws", action="store_true", help="the deployed table (needs --table)")
    parser.add_argument("--table", help="table name (default: the local stack's)")
    parser.set_defaults(func=func)
    return parser  # type: ignore[no-any-return]


def run_table_step(args: argparse.Namespace, name: str, step: Callable[..., T]) -> T | int:
    """The step run against the chosen table, or the exit status of why it could not be (2: usage, 1: no data)."""
    if args.aws and not args.table:
        print(f"loyalty-local {name}: --aws needs --table", file=sys.stderr)
        return 2
    try:
        with _table(args) as (client, table):
            return step(client, table, limit=args.limit, start_after=args.start_after)
    except NoLocalData as missing:
        print(f"loyalty-local {name}: {missing}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace) -> int:
    done = run_table_step(args, "migrate-passes", migrate_pass_items)
    if isinstance(done, int):
        return done
    return step_outcome(
        f"converted {done.converted} pass item(s); {done.left} busy, left to the next run",
        done.start_after,
        done.left,
        "every pass item has the current layout",
    )


def step_outcome(summary: str, start_after: dict[str, Any] | None, left: int, finished: str) -> int:
    """Print how a resumable step's run went and give its exit status: 0 when nothing is left, 3 when some items
    are left to the next run; a run stopped by `--limit` says where to continue from."""
    print(summary)
    if start_after is not None:
        print(f"stopped at --limit: continue with --start-after '{json.dumps(start_after)}'")
    elif left == 0:
        print(f"0 to go: {finished}")
    return 0 if left == 0 else 3


@contextmanager
def _table(args: argparse.Namespace) -> Iterator[tuple[Any, str]]:
    if args.aws:
        import boto3

        yield boto3.client("dynamodb"), args.table
        return
    with local_table(args.endpoint, args.table) as found:
        yield found


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _key(text: str) -> dict[str, Any]:
    try:
        key = json.loads(text)
    except json.JSONDecodeError as invalid:
        raise argparse.ArgumentTypeError(f"not JSON: {text!r}") from invalid
    if not isinstance(key, dict) or set(key) != {"PK", "SK"}:
        raise argparse.ArgumentTypeError("a key is a JSON object with PK and SK, as a run prints it")
    return key
