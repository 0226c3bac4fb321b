"""The ledger's counter watermarks (docs/decisions/0021g): positions compare as strings the way their numbers do,
a lane's attribute is short and stable, the ledger function names the batch's shard to the ledger and answers a
windowed mapping with its state, and the template keeps the window that makes Lambda name the shard."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.adapters.dynamodb.ledger_counters import POSITION_WIDTH, lane_attribute, position
from loyalty_local.cloud.template import load_template, stream_subscriptions

SEQUENCE_NUMBERS = st.integers(0, 10**40 - 1)


@given(SEQUENCE_NUMBERS, SEQUENCE_NUMBERS)
def test_positions_compare_as_their_numbers(a: int, b: int) -> None:
    assert len(position(a)) == len(position(str(b))) == POSITION_WIDTH
    assert (position(a) < position(b)) == (a < b)
    assert (position(a) == position(b)) == (a == b)


def test_a_position_past_forty_digits_or_below_zero_is_refused() -> None:
    with pytest.raises(ValueError):
        position(10**41)
    with pytest.raises(ValueError):
        position(-1)


def test_a_lane_s_attribute_is_short_stable_and_its_own() -> None:
    shard = "shardId-00000001536019433156-b3a4b0c7"
    assert lane_attribute(shard) == lane_attribute(shard)
    assert len(lane_attribute(shard)) == 9 and lane_attribute(shard).startswith("w")
    assert lane_attribute(shard) != lane_attribute("shardId-00000001536019433156-b3a4b0c8")


def test_the_ledger_mapping_keeps_its_window_so_that_lambda_names_the_shard() -> None:
    (ledger,) = [s for s in stream_subscriptions() if s.function == "LedgerFunction"]
    assert ledger.tumbling_window_seconds > 0
    props = load_template()["Resources"]["LedgerFunction"]["Properties"]["Events"]["TableStream"][
        "Properties"
    ]
    # The rest of the mapping as decision 0011 set it.
    assert props["BisectBatchOnFunctionError"] is True
    assert props["MaximumRecordAgeInSeconds"] == 86400 and props["MaximumRetryAttempts"] == 20
    assert "ReportBatchItemFailures" in props["FunctionResponseTypes"]


def test_the_ledger_function_hands_the_batch_s_shard_over_and_answers_the_window_s_state(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from loyalty.entrypoints.streams import ledger as entry

    seen: list[Any] = []

    def record(*args: Any, shard: str | None = None) -> list[str]:
        seen.append(shard)
        return []

    monkeypatch.setattr(entry, "record_pass_changes", record)
    for name in ("dispatch_new_issuances", "update_directory", "count_wallet_changes", "count_campaign_wins"):
        monkeypatch.setattr(entry, name, lambda *_: [])
    for name in ("credential_workflows", "ledger", "offer_store", "member_directory", "wallet_counts"):
        monkeypatch.setattr(entry, name, lambda: None)
    monkeypatch.setattr(entry, "campaign_outcomes", lambda: None)
    monkeypatch.setattr(entry, "_kept_timezones", lambda: None)

    windowed = entry.ledger_batch({"Records": [], "shardId": "shardId-1", "state": {}})
    plain = entry.ledger_batch({"Records": []})
    assert seen == ["shardId-1", None]
    assert windowed == {"batchItemFailures": [], "state": {}}
    assert plain == {"batchItemFailures": []}
