"""The table stream's records read fast and once (issue 21: the ledger's CPU per record): every attribute value
reads as boto3's deserializer reads it, and the ledger function's four readers of a record share one decoding."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeDeserializer

from loyalty.adapters.dynamodb.dynamo import from_item
from loyalty.adapters.dynamodb.pass_items import pass_to_item
from loyalty.adapters.dynamodb.stream import StreamRecord
from loyalty.app.ports.ledger import PassWritten
from loyalty.app.ports.passes import ChangeNote
from tests.support.google_service_account import sample_offer, sample_pass

ITEM: dict[str, Any] = {
    "text": {"S": "مرحبا"},
    "whole": {"N": "12"},
    "negative": {"N": "-3"},
    "zero": {"N": "-0"},
    "fraction": {"N": "1.5"},
    "whole with a point": {"N": "5.0"},
    "exponent": {"N": "1E+2"},
    "huge": {"N": "123456789012345678901234567890"},
    "yes": {"BOOL": True},
    "nothing": {"NULL": True},
    "map": {"M": {"n": {"N": "7"}, "list": {"L": [{"S": "a"}, {"N": "0.25"}, {"NULL": True}]}}},
    "strings": {"SS": ["b"]},
    "numbers": {"NS": ["4"]},
    "bytes": {"B": b"\x00\x01"},
}


def boto3_reading(item: dict[str, Any]) -> dict[str, Any]:
    """What the adapters read before: boto3's deserializer, numbers back to int where whole."""

    def plain(value: Any) -> Any:
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | set):
            return [plain(v) for v in value]
        return value

    deserializer = TypeDeserializer()
    return {name: plain(deserializer.deserialize(value)) for name, value in item.items()}


def test_every_kind_of_value_reads_as_boto3_reads_it() -> None:
    read = from_item(ITEM)
    assert read == boto3_reading(ITEM)
    assert {name: type(value) for name, value in read.items()} == {
        name: type(value) for name, value in boto3_reading(ITEM).items()
    }
    assert read["whole"] == 12 and isinstance(read["whole"], int)
    assert read["whole with a point"] == 5 and isinstance(read["whole with a point"], int)
    assert read["fraction"] == 1.5 and read["bytes"] == Binary(b"\x00\x01")


def test_a_pass_item_reads_back_as_written() -> None:
    pass_ = replace(sample_pass(sample_offer()), current_stamps=4, lifetime_stamps=9, version=5)
    item = pass_to_item(pass_)
    assert from_item(item) == boto3_reading(item)


def record(old: dict[str, Any] | None, new: dict[str, Any]) -> StreamRecord:
    dynamodb: dict[str, Any] = {"SequenceNumber": "100", "NewImage": new}
    if old is not None:
        dynamodb["OldImage"] = old
    return StreamRecord({"eventName": "MODIFY", "eventSource": "aws:dynamodb", "dynamodb": dynamodb})


def test_the_readers_of_a_record_share_one_decoding() -> None:
    before = sample_pass(sample_offer())
    after = replace(before, current_stamps=1, lifetime_stamps=1, version=before.version + 1)
    note = ChangeNote("STAMP", "user-1", "main")
    change = record(pass_to_item(before), pass_to_item(after, note))
    first = change.written()
    assert isinstance(first, PassWritten)
    assert first.old == before and first.new == after and first.change == note
    assert change.written() is first, "a second reader decoded the record again"


def test_a_record_that_cannot_be_read_fails_for_every_reader() -> None:
    broken = record(None, {"entity": {"S": "PASS"}, "version": {"N": "not a number"}})
    for _ in range(2):
        with pytest.raises((KeyError, ValueError, TypeError, ArithmeticError)):
            broken.written()
