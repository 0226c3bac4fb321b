"""`loyalty-local expire-passes`: its options, as an operator types them."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

import pytest

from loyalty_local.tools.cli import build_parser
from loyalty_local.tools.expire_command import DAYS_VARIABLE, default_days, run


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(["expire-passes", *argv])


def test_days_default_to_the_template_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DAYS_VARIABLE, raising=False)
    assert default_days() == 90


def test_days_default_follows_the_environment_like_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DAYS_VARIABLE, "45")
    assert default_days() == 45


def test_options_are_parsed() -> None:
    args = parse("--days", "30", "--as-of", "2027-03-01T12:00:00Z", "--dry-run", "--list")
    assert args.list is True
    assert args.days == 30
    assert args.as_of == datetime(2027, 3, 1, 12, tzinfo=UTC)
    assert args.dry_run is True


def test_a_date_alone_means_its_midnight_utc() -> None:
    assert parse("--as-of", "2027-03-01").as_of == datetime(2027, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(("option", "value"), [("--days", "0"), ("--days", "1.5"), ("--as-of", "next week")])
def test_bad_values_are_refused_before_anything_runs(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as refused:
        parse(option, value)
    assert refused.value.code == 2
    assert option in capsys.readouterr().err


def test_a_mistyped_environment_threshold_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(DAYS_VARIABLE, "ninety")
    assert run(parse("--dry-run")) == 2
    assert capsys.readouterr().err == (
        "loyalty-local expire-passes: PASS_INACTIVITY_EXPIRATION_DAYS "
        "must be a whole number of days from 1 to 3650, not 'ninety'\n"
    )


@pytest.mark.parametrize("configured", ["abc", "0", "1.5", "-3", "99999"])
def test_a_bad_configured_threshold_is_one_clear_line_not_a_traceback(
    configured: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from loyalty_local.tools.cli import main

    monkeypatch.setenv(DAYS_VARIABLE, configured)
    assert main(["expire-passes", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{DAYS_VARIABLE} must be a whole number of days from 1 to 3650" in err
