"""`loyalty-local`: the local stack's command line (run, token, openapi, and the operators' commands)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from loyalty_local.standins.cognito import LocalUserPool, pool_file
from loyalty_local.tools import (
    delivery_command,
    directory_command,
    expire_command,
    google_classes_command,
    members_fold_command,
    migrate_command,
    upgrade_command,
)


def _token(args: argparse.Namespace) -> int:
    from loyalty_local.cloud.dynamodb_local import dynamodb_client
    from loyalty_local.cloud.stack import default_data_dir, running_stack_state
    from loyalty_local.tools.local_accounts import ensure_business

    data_dir = default_data_dir()
    pool = LocalUserPool.load(Path(args.pool_file) if args.pool_file else pool_file(data_dir))
    state = running_stack_state(Path(args.pool_file).parent.parent if args.pool_file else data_dir)
    if state is not None:
        # The business the token names exists from now on (named after its id), and a manager's branch too.
        ensure_business(
            dynamodb_client(state["dynamodbEndpoint"]), state["tableName"], args.business_id, args.branch_id
        )
    if args.role == "manager" and not args.branch_id:
        print("note: a manager token usually names --branch-id", file=sys.stderr)
    print(pool.issue(args.role, args.business_id, args.branch_id, ttl=args.ttl))
    return 0


def _run(args: argparse.Namespace) -> int:
    from loyalty_local.cloud.stack import LocalStack, StackConfig, default_data_dir
    from loyalty_local.tools.credential_demo import credential_demo_lines
    from loyalty_local.tools.quickstart import print_quickstart, seed_demo

    def progress(what: str) -> None:
        print(f"  ... {what}", flush=True)

    data_dir = default_data_dir()
    print("Starting the local stack (Ctrl-C stops it):", flush=True)
    stack = LocalStack(
        StackConfig(
            port=args.port,
            host=args.host,
            data_dir=data_dir,
            user_pool_file=pool_file(data_dir),
            progress=progress,
        )
    ).start()
    stopped = threading.Event()

    def shutdown(*_: object) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, shutdown)
    signal.signal(signal.SIGTERM, shutdown)
    try:
        progress("seeding the demo business (through the API)")
        demo = seed_demo(stack)
        if demo.created:
            progress("following a demo credential through the AIR Kit sandbox (up to a minute)")
        credential_lines = credential_demo_lines(stack, demo)
        progress("waiting for the stream and queues to be quiet")
        stack.announce_ready()
        print_quickstart(stack, demo)
        print("\n".join(credential_lines), flush=True)
        stopped.wait()
    finally:
        print("\nstopping the local stack...", flush=True)
        stack.stop()
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from loyalty_local.tools.openapi import openapi_document

    text = json.dumps(openapi_document(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="loyalty-local", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="start the whole local stack and serve the API")
    run.add_argument("--port", type=int, default=3000)
    run.add_argument("--host", default="127.0.0.1")
    run.set_defaults(func=_run)

    token = commands.add_parser(
        "token", help="print an ID token of the running stack's user pool, for tests and scripts"
    )
    token.add_argument("--role", choices=["owner", "manager"], required=True)
    token.add_argument("--business-id", required=True)
    token.add_argument("--branch-id")
    token.add_argument("--ttl", type=int, default=3600, help="seconds the token is valid (default 3600)")
    token.add_argument("--pool-file", help=argparse.SUPPRESS)
    token.set_defaults(func=_token)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document generated from the handlers")
    openapi.add_argument("--output", "-o")
    openapi.set_defaults(func=_openapi)

    expire_command.register(commands)
    migrate_command.register(commands)
    upgrade_command.register(commands)
    directory_command.register(commands)
    delivery_command.register(commands)
    google_classes_command.register(commands)
    members_fold_command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
