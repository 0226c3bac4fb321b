"""The members CSV: Excel opens it with Arabic intact (BOM) and runs nothing in it (no cell left as a formula)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.app.offers.export import export_members
from loyalty.domain.ids import new_id
from loyalty.domain.member_export import BOM, COLUMNS, csv_chunks, safe_cell
from loyalty.domain.offers import OfferNotFound
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryMembers, InMemoryPassStore
from tests.support.passes import fresh_pass

BUSINESS = "biz_exportbusiness01"


def item(name: str, email: str = "layla@example.com") -> dict[str, object]:
    return {
        "customerId": "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        "shortCode": "K7M2ABCD",
        "name": name,
        "email": email,
        "preferredLanguage": "ar",
        "status": "ACTIVE",
        "progress": {"currentStamps": 2, "maxStamps": 5, "rewardsClaimed": 3},
        "tier": {"currentTier": {"id": "silver", "name": "Silver Member"}},
        "rewardReady": False,
        "lastActivityAt": "2027-02-28T10:00:00.000Z",
        "memberSince": "2026-01-01T10:00:00.000Z",
    }


def rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


def test_a_file_excel_opens_with_arabic_intact_one_row_per_member() -> None:
    data = b"".join(csv_chunks([item("ليلى حداد"), item("Omar, Jr.", "omar@example.com")]))
    assert data.startswith(BOM.encode("utf-8"))
    header, first, second = rows(data)
    assert header == [label for _, label in COLUMNS]
    assert first[2] == "ليلى حداد" and first[3] == "layla@example.com"
    assert (first[6], first[7], first[8], first[9], first[10]) == ("2", "5", "3", "Silver Member", "no")
    assert second[2] == "Omar, Jr."  # quoted, not split


def test_no_cell_is_left_as_a_formula() -> None:
    data = b"".join(csv_chunks([item('=HYPERLINK("http://evil","x")'), item("+1-555", "@evil@example.com")]))
    _, first, second = rows(data)
    assert first[2] == '\'=HYPERLINK("http://evil","x")'
    assert (second[2], second[3]) == ("'+1-555", "'@evil@example.com")


@given(st.text(max_size=40))
def test_whatever_a_customer_types_never_starts_a_cell_as_a_formula(name: str) -> None:
    assert not safe_cell(name).startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe_cell(name).lstrip("'") == name.lstrip("'") or safe_cell(name) == "'" + name


class Chunks:
    """An `ExportSink` that keeps what it is given, and the largest chunk."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, chunk: bytes) -> None:
        self.chunks.append(chunk)


def test_every_member_of_the_offer_is_exported_page_by_page_with_progress() -> None:
    store = InMemoryPassStore(FrozenClock())
    offer = store.add_offer(an_offer(BUSINESS, name="Coffee Card"))
    for n in range(250):
        pass_ = fresh_pass(
            5,
            f"2026-11-{1 + n % 28:02d}T10:00:00.000Z",
            customer_id=new_id("cus"),
            offer_id=offer.offer_id,
            business_id=BUSINESS,
        )
        store.add_pass(replace(pass_, customer_name=f"ليلى {n}", email=f"m{n}@example.com"))
    members = InMemoryMembers(store)
    sink = Chunks()
    progress: list[int] = []
    assert export_members(members, BUSINESS, offer.offer_id, sink, progress.append) == 250
    exported = rows(b"".join(sink.chunks))[1:]
    assert len(exported) == 250 and len({row[0] for row in exported}) == 250
    assert {row[3] for row in exported} == {f"m{n}@example.com" for n in range(250)}  # unmasked
    assert progress == [100, 200, 250] and members.pages == 3
    # Streamed: no chunk holds more than a row (the header with the BOM aside).
    assert max(len(chunk) for chunk in sink.chunks[1:]) < 400


def test_another_business_exports_nothing() -> None:
    store = InMemoryPassStore(FrozenClock())
    offer = store.add_offer(an_offer(BUSINESS))
    sink = Chunks()
    with pytest.raises(OfferNotFound):
        export_members(InMemoryMembers(store), "biz_someoneelse0001", offer.offer_id, sink)
    assert b"".join(sink.chunks).count(b"@") == 0
