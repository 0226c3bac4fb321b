"""A function's environment it cannot run with fails at cold start with one line naming the variable and its
rule, and every reader of PASS_INACTIVITY_EXPIRATION_DAYS applies the same rule."""

from __future__ import annotations

import pytest

from loyalty.adapters.apple.settings import AppleWalletSettings
from loyalty.settings import ConfigurationError, get_settings


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TABLE_NAME", "t")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("configured", ["abc", "0", " 9 0", "90.0", "true"])
def test_a_bad_inactivity_threshold_names_the_variable_and_the_rule(
    configured: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", configured)
    with pytest.raises(ConfigurationError) as refused:
        get_settings()
    message = str(refused.value)
    assert message.startswith("PASS_INACTIVITY_EXPIRATION_DAYS must be a whole number of days from 1 to 3650")
    assert "\n" not in message and "pydantic" not in message
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
    with pytest.raises(ValueError, match="PASS_INACTIVITY_EXPIRATION_DAYS must be a whole number"):
        AppleWalletSettings()


def test_both_readers_agree_on_a_good_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PASS_INACTIVITY_EXPIRATION_DAYS", " 45 ")
    assert get_settings().pass_inactivity_expiration_days == AppleWalletSettings().inactivity_days == 45
