"""`loyalty-local fold-members-counts [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
fold each offer's members counts spread over four items into one (docs/decisions/0021l).

Against the local stack's data by default; with `--aws`, against the deployed table named by `--table`. Run it
after the release whose ledger writes one members item is deployed. Resumable: run it again until it says
`0 to go`; a run stopped by `--limit` prints the `--start-after` to continue from.
"""

from __future__ import annotations

import argparse
from typing import Any

from loyalty.adapters.dynamodb.members_fold import fold_members_counts
from loyalty_local.tools.migrate_command import add_table_step, run_table_step, step_outcome


def register(commands: Any) -> None:
    """Add `fold-members-counts` to the `loyalty-local` subcommands."""
    add_table_step(
        commands,
        "fold-members-counts",
        "fold each offer's members counts spread over four items into one (resumable)",
        __doc__,
        "fold at most this many items in this run",
        run,
    )


def run(args: argparse.Namespace) -> int:
    done = run_table_step(args, "fold-members-counts", fold_members_counts)
    if isinstance(done, int):
        return done
    return step_outcome(
        f"folded {done.folded} members item(s); {done.left} with too many counts for one update, left",
        done.start_after,
        done.left,
        "every offer's members counts are in one item",
    )
