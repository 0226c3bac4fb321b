"""A function's environment it cannot run with fails at cold start with one line naming the variable and its
rule, and every reader of PASS_INACTIVITY_EXPIRATION_DAYS (the weekly job, the Apple pass's terms) reads the
same field under the same rule."""

from __future__ import annotations

import pytest

from loyalty.settings import InvalidSettings, load_settings


@pytest.fixture(autouse=True)
def table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_NAME", "t")


@pytest.mark.parametrize("configured", ["abc", "0", " 9 0", "90.0", "true"])
def test_a_bad_inactivity_threshold_names_the_variable_and_the_rule(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", configured)
    with pytest.raises(InvalidSettings) as refused:
        load_settings()
    message = str(refused.value)
    assert message.startswith(
        "invalid configuration: PASS_INACTIVITY_EXPIRATION_DAYS: "
        "inactivity days must be a whole number of days from 1 to 3650"
    )
    assert "\n" not in message and "pydantic" not in message
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


def test_a_good_threshold_is_read_once_for_every_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", " 45 ")
    assert load_settings().pass_inactivity_expiration_days == 45
