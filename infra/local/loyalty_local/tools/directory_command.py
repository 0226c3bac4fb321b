"""`loyalty-local backfill-directory [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
write the member directory entries of passes enrolled before the directory existed, so a search finds them.

Against the local stack's data by default (a running `make run`, else its saved data); with `--aws`, against the
deployed table named by `--table`, through the usual AWS credentials and region. Resumable and repeatable: each
pass's entries are put as the pass stands, so a run stopped by `--limit` continues with the `--start-after` it
prints, and a second whole run changes nothing.
"""

from __future__ import annotations

import argparse
from typing import Any

from loyalty.adapters.dynamodb.directory_backfill import backfill_directory
from loyalty_local.tools.migrate_command import add_table_step, run_table_step, step_outcome


def register(commands: Any) -> None:
    """Add `backfill-directory` to the `loyalty-local` subcommands."""
    add_table_step(
        commands,
        "backfill-directory",
        "write the member directory entries of passes from before the directory (resumable)",
        __doc__,
        "write the entries of at most this many passes",
        run,
    )


def run(args: argparse.Namespace) -> int:
    done = run_table_step(args, "backfill-directory", backfill_directory)
    if isinstance(done, int):
        return done
    return step_outcome(
        f"wrote the directory entries of {done.passes} pass(es)",
        done.start_after,
        0,
        "every pass is in its offer's directory",
    )
