"""How phones learn that passes changed: `passesUpdatedSince` tags and `Last-Modified` / `If-Modified-Since`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from loyalty.app.wallets.apple_updates import (
    SETTLE,
    decode_tag,
    encode_tag,
    http_date,
    is_not_modified,
    last_modified,
    updated_since,
)

SERIALS = st.sampled_from(["serial-a", "serial-b", "serial-c", "serial-d"])


@given(st.dictionaries(SERIALS, st.integers(1, 10_000)))
def test_a_tag_remembers_every_version(versions: dict[str, int]) -> None:
    assert decode_tag(encode_tag(versions)) == versions


@given(
    st.dictionaries(SERIALS, st.integers(1, 1000), min_size=1),
    st.lists(SERIALS, max_size=12),
)
def test_every_update_after_the_tag_is_listed_and_nothing_else(
    start: dict[str, int], writes: list[str]
) -> None:
    tag = encode_tag(start)
    current = dict(start)
    for serial in writes:
        current[serial] = current.get(serial, 0) + 1
    assert updated_since(current, tag) == sorted(set(writes))
    # Asked again with the tag of that answer, nothing is new.
    assert updated_since(current, encode_tag(current)) == []


def test_without_a_usable_tag_every_pass_is_listed() -> None:
    current = {"b": 3, "a": 1}
    assert updated_since(current, None) == ["a", "b"]
    assert updated_since(current, "") == ["a", "b"]
    assert updated_since(current, "2026-11-23T10:00:00Z") == ["a", "b"]
    assert updated_since(current, "v1.!!!not-base64") == ["a", "b"]
    assert updated_since(current, encode_tag({"a": 1, "b": 3})[:-4]) == ["a", "b"]


def test_last_modified_waits_for_its_second_to_settle() -> None:
    updated = datetime(2026, 11, 23, 12, 0, 0, 400_000, tzinfo=UTC)
    second = updated.replace(microsecond=0)
    assert last_modified(updated, updated + timedelta(seconds=1)) == second - timedelta(seconds=1)
    assert last_modified(updated, second + SETTLE) == second


def test_if_modified_since() -> None:
    updated = datetime(2026, 11, 23, 12, 0, 0, 400_000, tzinfo=UTC)
    second = updated.replace(microsecond=0)
    assert is_not_modified(http_date(second), updated)
    assert is_not_modified(http_date(second + timedelta(hours=1)), updated)
    assert not is_not_modified(http_date(second - timedelta(seconds=1)), updated)
    assert not is_not_modified(None, updated)
    assert not is_not_modified("yesterday", updated)


@given(
    st.integers(0, 999_999),
    st.integers(0, 999_999),
    st.floats(0, 120),
)
def test_a_second_write_in_the_same_second_is_never_answered_304(
    first_us: int, second_us: int, served_after: float
) -> None:
    """Whatever the phone was told for the first write, asking after the second one brings a new pass."""
    first = datetime(2026, 11, 23, 12, 0, 0, min(first_us, second_us), tzinfo=UTC)
    second = first.replace(microsecond=max(first_us, second_us))
    served_at = first + timedelta(seconds=served_after)
    if served_at >= second.replace(microsecond=0) + SETTLE:
        return  # served after the second write: the phone got the second write itself
    told = http_date(last_modified(first, served_at))
    if second > first:
        assert not is_not_modified(told, second)
