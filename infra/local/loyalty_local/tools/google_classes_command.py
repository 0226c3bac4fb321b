"""`loyalty-local refresh-google-classes [--limit N] [--start-after JSON] [--endpoint URL | --aws] [--table NAME]`:
give every offer's Google class made before classes carried `callbackOptions` the callback URL, so that Google
reports saves and deletes of its passes (the step before `backfill-delivery --google`, docs/DEPLOY-STEPS.md).

Each offer's class is read once; one without the URL is PATCHed as an offer edit PATCHes it (the offer's texts and
its brand, or the business's); one with it, or one Google has not made yet, is skipped. At most
`--google-calls-per-second` calls to Google. An offer Google did not answer is left to the next run (exit 3).

Against the local stack's data and the running `make run` stack's Google stand-in by default; with `--aws`, the
deployed table named by `--table` through the usual AWS credentials and region, and Google Wallet's settings as the
functions have them (`GOOGLE_WALLET_ISSUER_ID`, `GOOGLE_WALLET_SERVICE_ACCOUNT_SECRET_ID`,
`GOOGLE_WALLET_ISSUER_NAME`, `GOOGLE_WALLET_PROGRAM_LOGO_URL`, `GOOGLE_WALLET_CALLBACK_URL`, and
`PUBLIC_WEB_BASE_URL` for the brand images). Resumable and repeatable: a run stopped by `--limit` (items scanned)
continues with the `--start-after` it prints, and a second whole run only reads.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from loyalty.adapters.dynamodb.business_profiles import BusinessProfileStore
from loyalty.adapters.dynamodb.google_classes_refresh import (
    DEFAULT_CALLS_PER_SECOND,
    ClassesRun,
    refresh_google_classes,
)
from loyalty.adapters.google.looks import brand_images_at, class_look
from loyalty.adapters.google.passes import GoogleWalletPasses
from loyalty.domain.offers import Offer
from loyalty_local.tools.google_reach import GoogleNotReachable, reach_google
from loyalty_local.tools.migrate_command import add_table_step, run_table_step, step_outcome

NAME = "refresh-google-classes"


def register(commands: Any) -> None:
    """Add `refresh-google-classes` to the `loyalty-local` subcommands."""
    parser = add_table_step(
        commands,
        NAME,
        "give Google classes made before the callbacks their callbackOptions (resumable)",
        __doc__,
        "scan at most this many items in this run",
        run,
    )
    parser.add_argument(
        "--google-calls-per-second",
        type=float,
        default=DEFAULT_CALLS_PER_SECOND,
        metavar="N",
        help=f"at most this many calls a second to Google (default {DEFAULT_CALLS_PER_SECOND:g})",
    )


def run(args: argparse.Namespace) -> int:
    try:
        google = reach_google(args.aws, callback_needed=True)
    except GoogleNotReachable as missing:
        print(f"loyalty-local {NAME}: {missing}", file=sys.stderr)
        return 1
    client = google.client()

    def step(dynamodb: Any, table: str, **where: Any) -> ClassesRun:
        profiles = BusinessProfileStore(dynamodb, table)
        images = brand_images_at(google.web_base_url)

        def looks(offer: Offer) -> Any:
            return class_look(offer, profiles.profile(offer.business_id), images)

        passes = GoogleWalletPasses(
            client,
            google.issuer_id,
            google.issuer_name,
            google.program_logo_url,
            looks=looks,
            callback_url=google.callback_url,
        )
        return refresh_google_classes(
            dynamodb,
            table,
            client,
            passes,
            issuer_id=google.issuer_id,
            callback_url=google.callback_url,
            calls_per_second=args.google_calls_per_second,
            **where,
        )

    done = run_table_step(args, NAME, step)
    if isinstance(done, int):
        return done
    return step_outcome(
        (
            f"looked at {done.offers} offer(s): updated {done.updated}, skipped {done.skipped},"
            f" failed {done.failed}, left to the next run"
        ),
        done.start_after,
        done.failed,
        "every offer's Google class carries the callback URL",
    )
