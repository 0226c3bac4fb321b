"""The data steps of issue 21's deploy (docs/DEPLOY-STEPS.md), as `loyalty-local` subcommands:

- `loyalty-local remake-indexes [--endpoint URL] [--table NAME]`: a kept local table's indexes whose definition in
  template.yaml changed (GSI4's projection, decision 0021d) deleted and created again. A deployed table is
  CloudFormation's: its indexes change through deploys (docs/DEPLOY-STEPS.md).
- `loyalty-local backfill-enroll-keys [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
  the enroll-key items of enrollments ledgered before the ledger kept them (decision 0021b). Idempotent and
  resumable: run it again with the `--start-after` it prints when stopped by `--limit`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loyalty.adapters.dynamodb.enroll_keys import backfill_enroll_keys
from loyalty_local.cloud.index_remake import remake_changed_indexes
from loyalty_local.tools.expire_command import NoLocalData, local_table
from loyalty_local.tools.migrate_command import add_table_step, run_table_step, step_outcome


def register(commands: Any) -> None:
    """Add `remake-indexes` and `backfill-enroll-keys` to the `loyalty-local` subcommands."""
    remake = commands.add_parser(
        "remake-indexes",
        help="delete and create again a local table's indexes whose definition in template.yaml changed",
        description=__doc__,
    )
    remake.add_argument("--endpoint", help="DynamoDB endpoint (default: the running local stack's)")
    remake.add_argument("--table", help="table name (default: the local stack's)")
    remake.set_defaults(func=run_remake)

    add_table_step(
        commands,
        "backfill-enroll-keys",
        "write the enroll-key items of enrollments ledgered before the ledger kept them (resumable)",
        __doc__,
        "write about this many items in this run",
        run_backfill,
    )


def run_remake(args: argparse.Namespace) -> int:
    try:
        with local_table(args.endpoint, args.table) as (client, table):
            remade = remake_changed_indexes(client, table)
    except NoLocalData as missing:
        print(f"loyalty-local remake-indexes: {missing}", file=sys.stderr)
        return 1
    print(f"remade {', '.join(remade)}" if remade else "every index is as the template defines it")
    return 0


def run_backfill(args: argparse.Namespace) -> int:
    done = run_table_step(args, "backfill-enroll-keys", backfill_enroll_keys)
    if isinstance(done, int):
        return done
    return step_outcome(
        f"wrote {done.written} enroll-key item(s)",
        done.start_after,
        0,
        "every keyed enrollment has its enroll-key item",
    )
