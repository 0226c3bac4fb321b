"""`loyalty-local backfill-delivery [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
bring the wallet delivery records of passes whose Apple devices registered before the records existed in line
with their registrations, and the offers' `wallets` counts with them (decision 0025c).

Against the local stack's data by default (a running `make run`, else its saved data); with `--aws`, against the
deployed table named by `--table`, through the usual AWS credentials and region. Resumable and repeatable: a run
stopped by `--limit` (items scanned) continues with the `--start-after` it prints, and a second whole run changes
nothing. A pass registering meanwhile, three times over, is left busy, to the next run.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from loyalty.adapters.dynamodb.delivery_backfill import backfill_delivery
from loyalty_local.tools.migrate_command import add_table_step, run_table_step


def register(commands: Any) -> None:
    """Add `backfill-delivery` to the `loyalty-local` subcommands."""
    add_table_step(
        commands,
        "backfill-delivery",
        "count the Apple devices of passes registered before delivery records existed (resumable)",
        __doc__,
        "scan at most this many items in this run",
        run,
    )


def run(args: argparse.Namespace) -> int:
    done = run_table_step(args, "backfill-delivery", backfill_delivery)
    if isinstance(done, int):
        return done
    print(
        f"looked at {done.passes} pass(es): corrected {done.corrected}, {done.busy} busy, left to the next run"
    )
    if done.start_after is not None:
        print(f"stopped at --limit: continue with --start-after '{json.dumps(done.start_after)}'")
    elif done.busy == 0:
        print("0 to go: every pass's delivery record counts its registrations")
    return 0 if done.busy == 0 else 3
