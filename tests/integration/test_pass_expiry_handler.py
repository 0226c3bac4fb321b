"""The expire-passes Lambda as template.yaml deploys it, against DynamoDB Local: summary, metric, log line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any

import pytest

from loyalty import bootstrap
from loyalty.settings import InvalidSettings
from loyalty_local.cloud.lambda_runtime import LambdaContext, LocalLambda

from .test_pass_expiry import activity_index_entries, get_pass, put_pass

pytestmark = pytest.mark.integration

FUNCTION = "ExpirePassesFunction"


@pytest.fixture
def function_env(monkeypatch: pytest.MonkeyPatch, dynamodb_endpoint: str, table_name: str) -> Iterator[None]:
    for name, value in {
        "TABLE_NAME": table_name,
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "POWERTOOLS_METRICS_NAMESPACE": "Loyalty",
        "POWERTOOLS_SERVICE_NAME": "loyalty",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "PASS_INACTIVITY_EXPIRATION_DAYS": "90",
    }.items():
        monkeypatch.setenv(name, value)
    bootstrap.reset()
    yield
    bootstrap.reset()


def cold_start() -> ModuleType:
    """A fresh container of the function: its module imported anew, reading the environment at cold start."""
    return LocalLambda().module(FUNCTION)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def emitted_metric(lines: list[dict[str, Any]], name: str) -> Any:
    (blob,) = [line for line in lines if "_aws" in line]
    declared = [m["Name"] for d in blob["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]]
    assert name in declared
    return blob[name]


def ago(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


@pytest.mark.usefixtures("function_env")
def test_the_weekly_run_expires_idle_passes_and_reports_them(
    ddb: Any, table_name: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Idle since before the month bound of the weekly run (decision 0021), whatever today is.
    idle = [put_pass(ddb, table_name, ago(125 + n)) for n in range(3)]
    kept = put_pass(ddb, table_name, ago(89))

    summary = LocalLambda().invoke(FUNCTION, {})

    assert {
        "expired": 3,
        "finished": True,
        "days": 90,
        "dryRun": False,
    }.items() <= summary.items()
    # Unless the cutoff falls on a Sunday, the pass idle 89 days shares the cutoff's week (the index keys the
    # week): it is then read as a candidate too, and kept.
    assert summary["examined"] == 3 + summary["keptRecentActivity"]
    assert summary["keptRecentActivity"] in (0, 1)
    assert all(get_pass(ddb, table_name, *key)["status"] == {"S": "EXPIRED"} for key in idle)
    assert activity_index_entries(ddb, table_name) == {kept}
    assert emitted_metric(json_lines(capsys.readouterr().out), "PassesExpired") == [3.0]
    (log_line,) = [r for r in caplog.records if r.name == "loyalty" and hasattr(r, "expiry")]
    assert log_line.getMessage() == "pass expiry run finished"
    assert log_line.expiry == {name: value for name, value in summary.items() if name != "reminders"}
    # The expiry reminders of the week due follow in the same run (none here: these passes name no offer).
    assert summary["reminders"]["finished"] is True


@pytest.mark.usefixtures("function_env")
def test_an_operator_dry_run_changes_nothing(ddb: Any, table_name: str) -> None:
    idle = put_pass(ddb, table_name, ago(200))
    before = get_pass(ddb, table_name, *idle)

    summary = LocalLambda().invoke(FUNCTION, {"dryRun": True})

    assert (summary["wouldExpire"], summary["expired"]) == (1, 0)
    assert get_pass(ddb, table_name, *idle) == before


@pytest.mark.usefixtures("function_env")
def test_out_of_time_the_run_stops_and_fails_so_that_lambda_retries_it(
    ddb: Any, table_name: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    idle = put_pass(ddb, table_name, ago(100))
    module = cold_start()

    with pytest.raises(module.ExpiryRunIncomplete):
        module.handler({}, LambdaContext(FUNCTION, timeout_seconds=3))

    assert get_pass(ddb, table_name, *idle)["status"] == {"S": "ACTIVE"}
    (warning,) = [r for r in caplog.records if r.name == "loyalty" and hasattr(r, "expiry")]
    assert warning.levelname == "WARNING"
    assert warning.expiry["finished"] is False
    assert emitted_metric(json_lines(capsys.readouterr().out), "PassesExpired") == [0.0]

    retried = module.handler({}, LambdaContext(FUNCTION, timeout_seconds=900))
    assert retried["expired"] == 1
    assert get_pass(ddb, table_name, *idle)["status"] == {"S": "EXPIRED"}


@pytest.mark.usefixtures("function_env")
@pytest.mark.parametrize("days", ["0", "-3", "ninety", "4.5"])
def test_a_mistyped_threshold_fails_at_cold_start(monkeypatch: pytest.MonkeyPatch, days: str) -> None:
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", days)
    bootstrap.reset()
    with pytest.raises(InvalidSettings, match="PASS_INACTIVITY_EXPIRATION_DAYS: inactivity days") as refused:
        cold_start()
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
