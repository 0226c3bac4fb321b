"""A `loyalty-local run` process, started as `make run` starts it, on a data directory of the test's own."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def local_run(data_dir: Path) -> Iterator[dict[str, Any]]:
    """Start the stack and wait until it announced itself (its start-up work done, stream and queues drained);
    yield what it recorded about itself (`baseUrl`, `services`, ...); stop it as Ctrl-C would."""
    state_file = data_dir / "stack.json"
    state_file.unlink(missing_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "loyalty_local.tools.cli", "run", "--port", "0"],
        env={**os.environ, "LOYALTY_LOCAL_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while not state_file.exists():
            assert process.poll() is None, "the local stack exited while starting"
            assert time.monotonic() < deadline, "the local stack did not start"
            time.sleep(0.2)
        yield json.loads(state_file.read_text(encoding="utf-8"))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
