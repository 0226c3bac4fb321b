"""The README's curl lines and the ones `make run` prints work as pasted (issue 12): run in bash against the
stack with the demo business seeded, changing nothing but the address (and the user-pool key the tests use)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from contextlib import redirect_stdout
from io import StringIO
from typing import Any

import pytest

from loyalty_local.cloud.template import REPO_ROOT
from loyalty_local.tools.quickstart import print_quickstart, seed_demo

pytestmark = pytest.mark.e2e


def run_bash(script: str) -> str:
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def assert_a_full_pass_was_claimed(output: str) -> None:
    assert output.count('"stampAwarded":true') == 5, output
    assert '"newCycleStarted":true' in output, output


def test_the_readme_curl_lines_run_as_pasted(local_stack: Any) -> None:
    seed_demo(local_stack)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"For example.*?```bash\n(.*?)```", readme, re.S)
    assert block, "the README's example block"
    script = block.group(1).replace("http://127.0.0.1:3000", local_stack.base_url)
    script = script.replace(
        ".venv/bin/loyalty-local token",
        f"{sys.executable} -m loyalty_local.tools.cli token --pool-file {local_stack.config.user_pool_file}",
    )
    assert_a_full_pass_was_claimed(run_bash(script))
    assert_a_full_pass_was_claimed(run_bash(script)), "pasted twice, it enrolls a second customer"


def test_the_quickstart_lines_run_as_pasted(local_stack: Any) -> None:
    printed = StringIO()
    with redirect_stdout(printed):
        print_quickstart(local_stack, seed_demo(local_stack))
    lines = printed.getvalue().splitlines()
    script = "\n".join(
        line
        for line in lines[lines.index("") + 1 :]
        if line.startswith(("export ", "CUSTOMER=", "for ", "curl "))
    )
    assert_a_full_pass_was_claimed(run_bash(script))
    assert_a_full_pass_was_claimed(run_bash(script))


def test_the_readme_expiry_example_runs_as_pasted_and_names_what_would_expire(local_stack: Any) -> None:
    """Against a stack with the demo business seeded (its passes just made): 91 days on, they would expire."""
    seed_demo(local_stack)
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"The weekly inactivity expiry, by hand.*?```bash\n(.*?)```", readme, re.S)
    assert block, "the README's expiry block"
    script = block.group(1).replace(
        ".venv/bin/loyalty-local expire-passes",
        f"{sys.executable} -m loyalty_local.tools.cli expire-passes "
        f"--endpoint {local_stack.dynamodb.endpoint} --table {local_stack.config.table_name}",
    )
    summary = json.loads(run_bash(script))
    assert summary["dryRun"] is True and summary["expired"] == 0
    assert summary["wouldExpire"] >= 1 and summary["examined"] >= summary["wouldExpire"]
    assert len(summary["passes"]) == summary["wouldExpire"]
    assert all(
        p["customerId"].startswith("cus_") and p["offerId"].startswith("off_") for p in summary["passes"]
    )
