"""A pass as a DynamoDB item and back: its attributes, stamp marks and change note."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    to_item,
)
from loyalty.adapters.dynamodb.pass_keys import COUNTS, SLOTS, packed_counts
from loyalty.app.ports.passes import (
    ChangeNote,
)
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import MAX_STAMP_MARKS, Pass, PassStatus, StampMark

# The cycle's latest stamp marks, newest first (`"<epoch milliseconds>|<branchId>"`, "" for none): fixed
# attributes, so that a stamp shifts them along in its one UpdateItem (a list cannot be trimmed in the expression
# that grows it).
MARKS = tuple(f"m{n}" for n in range(MAX_STAMP_MARKS))


# Attributes a pass may carry that a write of it must remove when the pass no longer has them.
OPTIONAL_ATTRIBUTES = (
    "expiredAt",
    "lastStampAt",
    "GSI1PK",
    "GSI1SK",
    "createdAt",
    "marketingConsent",
    "marketingConsentAt",
    "remindedFor",
    *MARKS,
)


NO_MARK = ""


def mark_value(mark: StampMark) -> str:
    millis = round(parse_iso(mark.at).timestamp() * 1000)
    return f"{millis}|{mark.branch_id or ''}"


def mark_of(value: str) -> StampMark | None:
    if not value:
        return None
    millis, _, branch = value.partition("|")
    seconds, rest = divmod(int(millis), 1000)
    at = datetime.fromtimestamp(seconds, UTC) + timedelta(milliseconds=rest)
    return StampMark(to_iso(at), branch or None)


def pass_attributes(pass_: Pass) -> dict[str, Any]:
    """Every attribute of a pass item but its key, idempotency slots and change note (plain values; None = absent)."""
    marks = list(reversed(pass_.cycle_stamps))
    values: dict[str, Any] = {
        # The ids are the key's (`PASS#<customerId>#<offerId>`), and `createdAt` is `memberSince`: an item
        # under 1 KB is one write unit a scan.
        "entity": "PASS",
        "businessId": pass_.business_id,
        "passSerial": pass_.pass_serial,
        "authToken": pass_.auth_token,
        "status": pass_.status.value,
        "currentStamps": pass_.current_stamps,
        "stampsRequired": pass_.stamps_required,
        "rewardsClaimed": pass_.rewards_claimed,
        "lifetimeStamps": pass_.lifetime_stamps,
        COUNTS: packed_counts(pass_.current_stamps, pass_.stamps_required, pass_.rewards_claimed),
        "memberSince": pass_.member_since,
        "lastActivityAt": pass_.last_activity_at,
        "createdAt": pass_.created_at if pass_.created_at != pass_.member_since else None,
        "updatedAt": pass_.updated_at,
        "version": pass_.version,
        "email": pass_.email,
        "customerName": pass_.customer_name,
        "preferredLanguage": pass_.preferred_language,
        "expiredAt": pass_.expired_at,
        "lastStampAt": pass_.last_stamp_at,
        # Kept only when given (a "no" is the absence), with the time of the answer either way.
        "marketingConsent": True if pass_.marketing_consent else None,
        "marketingConsentAt": pass_.marketing_consent_at,
        "remindedFor": pass_.reminded_for,
        **{name: mark_value(marks[n]) if n < len(marks) else None for n, name in enumerate(MARKS)},
        **keys.members_keys(pass_.customer_id, pass_.offer_id, pass_.member_since),
    }
    if pass_.status is PassStatus.ACTIVE:
        values.update(keys.activity_index_keys(pass_.customer_id, pass_.offer_id, pass_.last_activity_at))
    return values


def note_value(note: ChangeNote) -> dict[str, Any]:
    return {
        "k": note.kind,
        "a": note.actor,
        **({"b": note.branch_id} if note.branch_id else {}),
        **({"r": note.reason} if note.reason else {}),
        **({"u": True} if note.tier_upgrade else {}),
        **({"i": note.idempotency_key} if note.idempotency_key else {}),
    }


def change_note_from_plain(item: dict[str, Any]) -> ChangeNote | None:
    """What the write that left this (plain) pass item was, from its `chg` (None on items from before it)."""
    note = item.get("chg")
    if not isinstance(note, dict):
        return None
    return ChangeNote(
        kind=str(note["k"]),
        actor=str(note["a"]),
        branch_id=note.get("b"),
        reason=note.get("r"),
        tier_upgrade=bool(note.get("u", False)),
        idempotency_key=note.get("i"),
    )


def pass_to_item(pass_: Pass, note: ChangeNote | None = None) -> dict[str, Any]:
    """A whole new pass item (enrollment): its attributes, empty idempotency slots, and what made it."""
    values: dict[str, Any] = {
        **keys.pass_key(pass_.customer_id, pass_.offer_id),
        **pass_attributes(pass_),
        **{slot: {} for slot in SLOTS},
    }
    if note is not None:
        values["chg"] = note_value(note)
    return to_item(values)


def pass_from_plain(item: dict[str, Any]) -> Pass:
    customer_id, offer_id = item_address(item)
    found = [mark_of(str(item.get(name) or "")) for name in MARKS]
    marks = tuple(mark for mark in reversed(found) if mark is not None)
    return Pass(
        customer_id=customer_id,
        offer_id=offer_id,
        business_id=item["businessId"],
        pass_serial=item["passSerial"],
        auth_token=item["authToken"],
        status=PassStatus(item["status"]),
        current_stamps=int(item["currentStamps"]),
        stamps_required=int(item["stampsRequired"]),
        rewards_claimed=int(item["rewardsClaimed"]),
        lifetime_stamps=int(item["lifetimeStamps"]),
        member_since=item["memberSince"],
        last_activity_at=item["lastActivityAt"],
        created_at=item.get("createdAt", item["memberSince"]),
        updated_at=item["updatedAt"],
        version=int(item["version"]),
        email=item.get("email", ""),
        customer_name=item.get("customerName", ""),
        preferred_language=item.get("preferredLanguage", "en"),
        expired_at=item.get("expiredAt"),
        cycle_stamps=marks,
        last_stamp_at=item.get("lastStampAt"),
        marketing_consent=bool(item.get("marketingConsent", False)),
        marketing_consent_at=item.get("marketingConsentAt"),
        reminded_for=item.get("remindedFor"),
        # Written only by a campaign's mark (adapters/dynamodb/campaigns.py), which no other write touches.
        campaign_message=item.get("campaignMessage"),
        campaign_message_ar=item.get("campaignMessageAr"),
        campaign_key=item.get("campaignKey"),
        campaign_at=item.get("campaignAt"),
    )


def item_address(item: dict[str, Any]) -> tuple[str, str]:
    _, customer_id, offer_id = str(item["PK"]).split("#", 2)
    return customer_id, offer_id
