"""What a pass keeps of a key's first answer (adapters/dynamodb/pass_keys.py): a stamp's packed counts, a refusal in
its short form when its body can be drawn again byte for byte, and the entries the earlier release kept."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from loyalty.adapters.dynamodb.pass_keys import (
    legacy_key_entry_name,
    packed_counts,
    remembered_on_pass,
    slot_names,
    stored_entry,
    unpacked_counts,
)
from loyalty.app.idempotency import IdempotentRequest, RememberedAnswer, RememberedStamp, StoredAnswer
from loyalty.domain.errors import DomainError
from loyalty.domain.passes import NotEnoughStamps, NothingToVoid, Pass, PassActive, PassExpired, RewardReady
from loyalty.entrypoints.http.render import render_error
from tests.support.passes import fresh_pass

AT = "2027-03-04T10:00:00.000Z"
REQUEST = IdempotentRequest.of(
    "biz_keyentries000001", "key-0001", "scan", {"customerId": "c", "offerId": "o"}
)


def progress(current: int, required: int, rewards: int) -> Pass:
    """A pass at these counts (all a refusal shows of it)."""
    return replace(fresh_pass(required), current_stamps=current, rewards_claimed=rewards)


@pytest.mark.parametrize(
    ("current", "required", "rewards"), [(0, 1, 0), (10, 10, 0), (49, 50, 7), (50, 50, 1_000_000)]
)
def test_the_counts_pack_into_one_number_and_back(current: int, required: int, rewards: int) -> None:
    assert unpacked_counts(packed_counts(current, required, rewards)) == (current, required, rewards)


REFUSALS: list[DomainError] = [
    RewardReady(progress(10, 10, 3)),
    NotEnoughStamps(progress(4, 10, 0)),
    PassExpired(),
    NothingToVoid(),
    PassActive(),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda e: e.code)
def test_a_refusal_is_kept_short_and_replayed_byte_for_byte(refusal: DomainError) -> None:
    answer = render_error(refusal)
    entry = stored_entry(REQUEST, StoredAnswer(answer.status, answer.body))
    assert len(entry) <= 40, entry  # the whole body is 150 to 250 bytes
    slot = slot_names(AT)[0]
    remembered = remembered_on_pass({slot: {_name(): entry}}, REQUEST, AT)
    assert isinstance(remembered, RememberedAnswer)
    assert remembered.answer.status == answer.status
    assert json.dumps(remembered.answer.body) == json.dumps(answer.body)


def test_a_refusal_the_short_form_cannot_draw_again_is_kept_whole() -> None:
    body = {"success": False, "error": {"code": "REWARD_READY", "message": "other words", "details": []}}
    entry = stored_entry(REQUEST, StoredAnswer(409, body))
    slot = slot_names(AT)[0]
    remembered = remembered_on_pass({slot: {_name(): entry}}, REQUEST, AT)
    assert isinstance(remembered, RememberedAnswer) and remembered.answer.body == body


def test_a_stamp_keeps_its_counts_and_the_earlier_release_its_version_and_counts() -> None:
    today, yesterday, _ = slot_names(AT)
    packed = packed_counts(4, 10, 2)
    assert remembered_on_pass({today: {_name(): packed}}, REQUEST, AT) == RememberedStamp(None, 4, 10, 2)
    legacy = legacy_key_entry_name(REQUEST)
    earlier = {yesterday: {legacy: 7, f"{legacy}c": 4, f"{legacy}q": 10, f"{legacy}r": 2}}
    assert remembered_on_pass(earlier, REQUEST, AT) == RememberedStamp(7, 4, 10, 2)
    assert remembered_on_pass({yesterday: {legacy: 7}}, REQUEST, AT) == RememberedStamp(7)


def _name() -> str:
    from loyalty.adapters.dynamodb.pass_keys import key_entry_name

    return key_entry_name(REQUEST)
