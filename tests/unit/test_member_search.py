"""Finding members fast: how names and emails are written for a prefix search, which directory entries a pass
has, and the members requests the directory answers, against in-memory ports (the e2e suite drives them over
HTTP; bench_members_search counts what DynamoDB reads)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loyalty.app.offers.directory import find_members, update_directory
from loyalty.app.ports.ledger import PassWritten
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.errors import ValidationFailed
from loyalty.domain.ids import new_id
from loyalty.domain.member_search import EntryKind, directory_entries, searchable
from loyalty.domain.passes import Pass, PassStatus, award_stamp, erase, expire
from loyalty.entrypoints.http.render import members_answer
from tests.support.apple_passes import an_offer
from tests.support.fakes import FrozenClock, InMemoryMemberDirectory, InMemoryPassStore
from tests.support.passes import fresh_pass

BUSINESS = "biz_searchbusiness01"
NOW = "2027-03-01T09:00:00.000Z"


@dataclass(frozen=True)
class Record:
    """A stream record of one pass write, as the table's stream hands it over."""

    sequence_number: str
    change: PassWritten

    def written(self) -> PassWritten:
        return self.change

    def created_issuance(self) -> str | None:
        return None


class Offer:
    """An offer with its store and directory, fed pass writes as the stream would feed them."""

    def __init__(self) -> None:
        self.store = InMemoryPassStore(FrozenClock())
        self.directory = InMemoryMemberDirectory(self.store)
        self.offer = self.store.add_offer(an_offer(BUSINESS, name="Coffee Card", stamps_required=3))
        self.sequence = 0

    def write(self, old: Pass | None, new: Pass) -> Pass:
        self.store.add_pass(new)
        self.sequence += 1
        assert update_directory(self.directory, [Record(str(self.sequence), PassWritten(old, new))]) == []
        return new

    def join(self, name: str, email: str, at: str = NOW) -> Pass:
        pass_ = fresh_pass(
            3, at, customer_id=new_id("cus"), offer_id=self.offer.offer_id, business_id=BUSINESS
        )
        return self.write(None, replace(pass_, customer_name=name, email=email))

    def find(self, owner: bool = True, **query: object) -> list[dict[str, object]]:
        answer = find_members(
            self.store,  # type: ignore[arg-type]  # the members index is not read by these requests
            self.directory,
            BUSINESS,
            self.offer.offer_id,
            show_email=owner,
            at=NOW,
            inactivity_days=90,
            **query,  # type: ignore[arg-type]
        )
        # As the members route sends them (the edge's renderer).
        items: list[dict[str, object]] = members_answer(answer)["items"]
        return items


def names(items: list[dict[str, object]]) -> list[object]:
    return [item["name"] for item in items]


def test_case_accents_and_arabic_letter_forms_are_written_one_way() -> None:
    assert searchable("  LÁYLA   Haddad ") == "layla haddad"
    assert searchable("Ｌａｙｌａ") == "layla"  # full-width letters
    assert searchable("أحمد") == searchable("احمد") == searchable("إحمد")
    assert searchable("ليلى") == searchable("ﻟﻴﻠﻰ") == searchable("ليلي")  # presentation forms, alef maqsura
    assert searchable("فاطمة") == searchable("فاطمه")
    assert searchable("مُحَمَّد") == searchable("مـحـمـد") == "محمد"  # vowel marks and tatweel
    assert "#" not in searchable("a#b")


@given(st.text(max_size=60))
def test_writing_twice_changes_nothing(text: str) -> None:
    assert searchable(searchable(text)) == searchable(text)


def test_a_name_or_an_email_found_by_its_start_whatever_the_writing() -> None:
    offer = Offer()
    offer.join("Layla Haddad", "layla.h@example.com")
    offer.join("Omar Lane", "omar@example.com")
    offer.join("أحمد علي", "ahmad@example.com")
    assert names(offer.find(q="lay")) == ["Layla Haddad"]
    assert names(offer.find(q="HADD")) == ["Layla Haddad"]  # a later word's start
    assert names(offer.find(q="Láy")) == ["Layla Haddad"]
    assert names(offer.find(q="omar@")) == ["Omar Lane"]  # an email's start
    assert names(offer.find(q="احمد")) == ["أحمد علي"]  # typed without the hamza
    assert names(offer.find(q="عل")) == ["أحمد علي"]
    assert sorted(names(offer.find(q="la"))) == ["Layla Haddad", "Omar Lane"]  # "lane"
    assert offer.find(q="zz") == []


def test_a_manager_sees_emails_masked_and_every_item_carries_its_short_code() -> None:
    offer = Offer()
    pass_ = offer.join("Layla Haddad", "layla.h@example.com")
    (item,) = offer.find(owner=False, q="layla")
    assert item["email"] != "layla.h@example.com" and "***" in str(item["email"])
    assert (item["shortCode"], item["offerName"]) == (pass_.short_code, "Coffee Card")


def test_a_short_code_finds_its_pass_as_typed() -> None:
    offer = Offer()
    pass_ = offer.join("Layla Haddad", "layla.h@example.com")
    offer.join("Omar Lane", "omar@example.com")
    typed = f"{pass_.short_code[:4].lower()} {pass_.short_code[4:]}"
    assert names(offer.find(q=typed)) == ["Layla Haddad"]


def test_sort_by_last_visit_and_the_segments() -> None:
    offer = Offer()
    early = offer.join("Early", "early@example.com", at="2026-09-01T10:00:00.000Z")  # 181 days before NOW
    near = offer.join("Near", "near@example.com", at="2026-12-05T10:00:00.000Z")  # 86 days: expires in 4
    offer.join("Recent", "recent@example.com", at="2027-02-20T10:00:00.000Z")
    # A visit moves a pass in the last-visit order.
    stamped = award_stamp(early, "2027-02-28T10:00:00.000Z")
    offer.write(early, stamped)
    assert names(offer.find(sort="lastActivity")) == ["Early", "Recent", "Near"]
    assert names(offer.find(segment="EXPIRING_SOON")) == ["Near"]
    # An expired pass is no longer "expiring soon".
    offer.write(near, expire(near, NOW))
    assert offer.find(segment="EXPIRING_SOON") == []
    # Full cards only, and not once the prize is handed over.
    full = stamped
    for day in (1, 2):
        full = offer.write(full, award_stamp(full, to_iso(parse_iso(NOW) + timedelta(days=day))))
    assert full.reward_ready
    assert names(offer.find(segment="REWARD_READY")) == ["Early"]


def test_an_erased_customer_leaves_nothing_in_the_directory() -> None:
    offer = Offer()
    pass_ = offer.join("Layla Haddad", "layla.h@example.com")
    offer.write(pass_, erase(pass_, NOW))
    assert offer.find(q="layla") == []
    assert offer.directory.entries == {}


def test_a_write_that_changes_no_entry_writes_nothing_and_a_record_twice_is_harmless() -> None:
    offer = Offer()
    pass_ = offer.join("Layla Haddad", "layla.h@example.com")
    applied = offer.directory.applied
    offer.write(pass_, replace(pass_, version=pass_.version + 1))  # a wallet redraw
    assert offer.directory.applied == applied
    stamped = award_stamp(pass_, "2027-03-01T10:00:00.000Z")
    offer.write(pass_, stamped)
    entries = dict(offer.directory.entries)
    offer.write(pass_, stamped)  # handed over again
    assert offer.directory.entries == entries


def test_entries_of_a_pass() -> None:
    pass_ = replace(fresh_pass(1), customer_name="Layla Haddad", email="Layla@Example.com")
    kinds = {entry.kind for entry in directory_entries(pass_)}
    assert kinds == {EntryKind.TERM, EntryKind.CODE, EntryKind.VISIT}
    full = award_stamp(pass_, "2027-03-01T10:00:00.000Z")
    assert EntryKind.READY in {entry.kind for entry in directory_entries(full)}
    terms = {e.position for e in directory_entries(pass_) if e.kind is EntryKind.TERM}
    assert terms == {"layla haddad", "haddad", "layla@example.com"}
    assert directory_entries(replace(pass_, status=PassStatus.ERASED)) == frozenset()


def test_unknown_sort_segment_and_a_search_of_nothing_are_refused() -> None:
    offer = Offer()
    for query in ({"sort": "name"}, {"segment": "VIP"}, {"q": "##"}, {"status": "ERASED", "q": "lay"}):
        with pytest.raises(ValidationFailed):
            offer.find(**query)
