"""Passes in DynamoDB (docs/decisions/0012-the-scan-at-its-floor.md).

A scan is one UpdateItem whose conditions are the stamp's rules. Every other change reads the pass (one
consistent read) and writes it back as one UpdateItem conditional on the version read (with the issuance record
in a transaction when a prize starts one). Either way the write keeps its Idempotency-Key inside the pass and
names the change (`chg`); the audit event and the stats counters follow from the table's stream (the ledger)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    batch_get,
    condition_failed,
    from_item,
    to_item,
)
from loyalty.adapters.dynamodb.idempotency import is_live, record_key, record_put, remembered_from_item
from loyalty.adapters.dynamodb.issuances import issuance_put
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.app.idempotency import (
    FINGERPRINT_KEPT,
    IdempotencyKeyReused,
    IdempotentRequest,
    RememberedAnswer,
    RememberedStamp,
    StoredAnswer,
    replay,
)
from loyalty.app.ports import (
    ChangeNote,
    NewCustomer,
    PassChange,
    Snapshot,
    StampAttempt,
    StampOutcome,
    WriteConflict,
)
from loyalty.domain.clock import parse_iso, to_iso
from loyalty.domain.passes import MAX_STAMP_MARKS, Pass, PassStatus, StampMark

EPOCH_DAY = date(1970, 1, 1)

# The cycle's latest stamp marks, newest first (`"<epoch milliseconds>|<branchId>"`, "" for none): fixed
# attributes, so that a stamp shifts them along in its one UpdateItem (a list cannot be trimmed in the expression
# that grows it).
MARKS = tuple(f"m{n}" for n in range(MAX_STAMP_MARKS))
# Idempotency keys kept inside the pass: three day slots (UTC day number % 3). A write keeps its key in today's
# slot, empties tomorrow's (which holds only keys two days old or older), and a key counts as used while it is in
# today's or yesterday's slot: every key is kept at least 24 hours, and the item never holds more than about
# two days of keys.
SLOTS = ("k0", "k1", "k2")
# A prize's answer (tier blocks, the credential issuance) is too big to keep inside the pass, which must stay under
# 1 KB: its key gets an idempotency record of its own, written in the prize's transaction (one prize a cycle).
# The pass still keeps the key, as a marker (`<fingerprint>|-|`), so no other request on the pass can reuse it.
KEPT_APART = frozenset({"confirm-prize"})
_APART = "-"
# Attributes a pass may carry that a write of it must remove when the pass no longer has them.
_OPTIONAL = (
    "expiredAt",
    "lastStampAt",
    "GSI1PK",
    "GSI1SK",
    "createdAt",
    "customerId",
    "offerId",
    "cycleStamps",
    "GSI3PK",
    "GSI3SK",
    *MARKS,
)
_NONE = ""


def _mark(mark: StampMark) -> str:
    millis = round(parse_iso(mark.at).timestamp() * 1000)
    return f"{millis}|{mark.branch_id or ''}"


def _unmark(value: str) -> StampMark | None:
    if not value:
        return None
    millis, _, branch = value.partition("|")
    seconds, rest = divmod(int(millis), 1000)
    at = datetime.fromtimestamp(seconds, UTC) + timedelta(milliseconds=rest)
    return StampMark(to_iso(at), branch or None)


def day_slot(at: str) -> int:
    return (parse_iso(at).date() - EPOCH_DAY).days % len(SLOTS)


def slot_names(at: str) -> tuple[str, str, str]:
    """Today's slot, yesterday's and tomorrow's (to be emptied) for a write at `at`."""
    today = day_slot(at)
    return SLOTS[today], SLOTS[(today - 1) % 3], SLOTS[(today + 1) % 3]


def key_entry_name(request: IdempotentRequest) -> str:
    """The key's name inside the pass: 66 bits of SHA-256 of its scope and key, url-safe."""
    digest = hashlib.sha256(f"{request.scope}\n{request.key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()[:11]


def _stored_entry(request: IdempotentRequest, answer: StoredAnswer) -> str:
    body = json.dumps(answer.body, ensure_ascii=False, separators=(",", ":"))
    return f"{request.fingerprint[:FINGERPRINT_KEPT]}|{answer.status}|{body}"


def remembered_on_pass(
    item: dict[str, Any], request: IdempotentRequest, at: str
) -> RememberedAnswer | RememberedStamp | None:
    """The key's first answer as the (plain) pass item keeps it, if the key is in today's or yesterday's slot."""
    name = key_entry_name(request)
    today, yesterday, _ = slot_names(at)
    for slot in (today, yesterday):
        entry = (item.get(slot) or {}).get(name)
        if entry is None:
            continue
        if isinstance(entry, int):
            return RememberedStamp(entry)
        fingerprint, status, body = str(entry).split("|", 2)
        if status == _APART:  # the answer is in the key's own record; the marker still tells a reuse
            return RememberedAnswer(fingerprint, StoredAnswer(0, {}))
        return RememberedAnswer(fingerprint, StoredAnswer(int(status), json.loads(body)))
    return None


def pass_attributes(card: Pass) -> dict[str, Any]:
    """Every attribute of a pass item but its key, idempotency slots and change note (plain values; None = absent)."""
    marks = list(reversed(card.cycle_stamps))
    values: dict[str, Any] = {
        # The ids are the key's (`PASS#<customerId>#<offerId>`), and `createdAt` is `memberSince`: an item
        # under 1 KB is one write unit a scan.
        "entity": "PASS",
        "businessId": card.business_id,
        "passSerial": card.pass_serial,
        "authToken": card.auth_token,
        "status": card.status.value,
        "currentStamps": card.current_stamps,
        "stampsRequired": card.stamps_required,
        "rewardsClaimed": card.rewards_claimed,
        "lifetimeStamps": card.lifetime_stamps,
        "memberSince": card.member_since,
        "lastActivityAt": card.last_activity_at,
        "createdAt": card.created_at if card.created_at != card.member_since else None,
        "updatedAt": card.updated_at,
        "version": card.version,
        "email": card.email,
        "customerName": card.customer_name,
        "preferredLanguage": card.preferred_language,
        "expiredAt": card.expired_at,
        "lastStampAt": card.last_stamp_at,
        **{name: _mark(marks[n]) if n < len(marks) else None for n, name in enumerate(MARKS)},
        **keys.members_keys(card.customer_id, card.offer_id, card.member_since),
    }
    if card.status is PassStatus.ACTIVE:
        values.update(keys.activity_index_keys(card.customer_id, card.offer_id, card.last_activity_at))
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


def pass_to_item(card: Pass, note: ChangeNote | None = None) -> dict[str, Any]:
    """A whole new pass item (enrollment): its attributes, empty idempotency slots, and what made it."""
    values: dict[str, Any] = {
        **keys.pass_key(card.customer_id, card.offer_id),
        **pass_attributes(card),
        **{slot: {} for slot in SLOTS},
    }
    if note is not None:
        values["chg"] = note_value(note)
    return to_item(values)


def pass_from_plain(item: dict[str, Any]) -> Pass:
    customer_id, offer_id = _address(item)
    if any(name in item for name in MARKS):
        found = [_unmark(str(item.get(name) or "")) for name in MARKS]
        marks = tuple(mark for mark in reversed(found) if mark is not None)
    else:  # an item from before the fixed marks
        marks = tuple(StampMark(mark["at"], mark.get("branchId")) for mark in item.get("cycleStamps", []))
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
    )


def _address(item: dict[str, Any]) -> tuple[str, str]:
    if "customerId" in item and "offerId" in item:
        return str(item["customerId"]), str(item["offerId"])
    _, customer_id, offer_id = str(item["PK"]).split("#", 2)
    return customer_id, offer_id


def customer_put(table_name: str, customer: NewCustomer) -> dict[str, Any]:
    """The TransactWriteItems element that creates a customer (refused if the business knows the email already)."""
    return {
        "Put": {
            "TableName": table_name,
            "Item": to_item(
                {
                    **keys.customer_key(customer.business_id, customer.email),
                    "entity": "CUSTOMER",
                    "customerId": customer.customer_id,
                    "businessId": customer.business_id,
                    "email": customer.email,
                    "name": customer.name,
                    "createdAt": customer.created_at,
                }
            ),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
    }


class PassStore:
    def __init__(self, client: Any, table_name: str, idempotency_ttl_hours: int = 24) -> None:
        self.client = client
        self.table_name = table_name
        self.idempotency_ttl_hours = idempotency_ttl_hours

    def snapshot(
        self,
        *,
        pass_key: tuple[str, str] | None = None,
        offer_id: str | None = None,
        customer_of: tuple[str, str] | None = None,
        request: IdempotentRequest | None = None,
        at: str | None = None,
    ) -> Snapshot:
        """One strongly consistent BatchGetItem of whatever the caller names. A request about a pass finds its
        key's first answer inside the pass (as of `at`); any other (an enrollment) in its idempotency record."""
        wanted: dict[str, dict[str, str]] = {}
        if pass_key:
            wanted["pass"] = keys.pass_key(*pass_key)
        if offer_id:
            wanted["offer"] = keys.offer_key(offer_id)
        if customer_of:
            wanted["customer"] = keys.customer_key(*customer_of)
        if request and (not pass_key or request.operation in KEPT_APART):
            wanted["answer"] = record_key(request)
        found = self._batch_get(list(wanted.values()))
        seen = {role: found.get((key["PK"], key["SK"])) for role, key in wanted.items()}
        pass_item, offer_item = seen.get("pass"), seen.get("offer")
        customer_item, answer_item = seen.get("customer"), seen.get("answer")
        remembered: RememberedAnswer | RememberedStamp | None = None
        if request and pass_item:
            if at is None:
                raise ValueError("a request about a pass finds its key as of the request's moment: give `at`")
            remembered = remembered_on_pass(pass_item, request, at)
            kept_apart = isinstance(remembered, RememberedAnswer) and remembered.answer.status == 0
            if kept_apart and request.fingerprint.startswith(remembered.fingerprint):  # type: ignore[union-attr]
                remembered = None  # this request's own answer: in its record, read below
        if remembered is None and answer_item and is_live(answer_item):
            remembered = remembered_from_item(answer_item)
        return Snapshot(
            card=pass_from_plain(pass_item) if pass_item else None,
            offer=offer_from_item(offer_item) if offer_item else None,
            customer_id=str(customer_item["customerId"]) if customer_item else None,
            remembered=remembered,
        )

    def _batch_get(self, wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(item["PK"], item["SK"]): item for item in batch_get(self.client, self.table_name, wanted)}

    def get_pass(self, customer_id: str, offer_id: str) -> Pass | None:
        return self.snapshot(pass_key=(customer_id, offer_id)).card

    def events(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page of a pass's audit events, newest first (one Query), and the sort key to continue after."""
        request: dict[str, Any] = {
            "TableName": self.table_name,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :events)",
            "ExpressionAttributeValues": {
                ":pk": {"S": keys.pass_partition(customer_id, offer_id)},
                ":events": {"S": "EVENT#"},
            },
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if after_sort is not None:
            request["ExclusiveStartKey"] = {
                "PK": {"S": keys.pass_partition(customer_id, offer_id)},
                "SK": {"S": after_sort},
            }
        answer = self.client.query(**request)
        last = answer.get("LastEvaluatedKey")
        return [from_item(item) for item in answer.get("Items", [])], last["SK"]["S"] if last else None

    def remember(self, request: IdempotentRequest, answer: StoredAnswer, at: str) -> StoredAnswer:
        """Store a refusal as the key's first answer in an idempotency record (one conditional PutItem): the
        answers of requests that make no pass (an enrollment's 202). The answer to give (a concurrent request
        with the same key may have stored its own first)."""
        put = record_put(self.table_name, request, answer, at, self.idempotency_ttl_hours)["Put"]
        try:
            self.client.put_item(**put)
        except ClientError as error:
            if not condition_failed(error):
                raise
            stored = self.snapshot(request=request).remembered
            if not isinstance(stored, RememberedAnswer):
                raise WriteConflict() from error
            return replay(request, stored)
        return answer

    def remember_on_pass(
        self, address: tuple[str, str], request: IdempotentRequest, answer: StoredAnswer, at: str
    ) -> StoredAnswer:
        """Keep a refusal as the key's first answer inside the pass: one UpdateItem, which holds only while the
        key is unused; when another request with the key got there first, its answer (read from the item the
        refused write returns) is the one to give."""
        today, yesterday, tomorrow = slot_names(at)
        names = {
            "#today": today,
            "#yesterday": yesterday,
            "#tomorrow": tomorrow,
            "#key": key_entry_name(request),
        }
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.pass_key(*address)),
                UpdateExpression="SET #today.#key = :entry, #tomorrow = :empty",
                # A pass request's scope is its business: no answer is ever kept in another business's pass.
                ConditionExpression="attribute_exists(PK) AND businessId = :business"
                " AND attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    ":entry": {"S": _stored_entry(request, answer)},
                    ":empty": {"M": {}},
                    ":business": {"S": request.scope},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if _invalid_path(error):  # an item from before the slots: answer without keeping it
                return answer
            if not condition_failed(error):
                raise
            old: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            stored = remembered_on_pass(from_item(old), request, at) if old else None
            if stored is None:
                raise WriteConflict() from error
            if isinstance(stored, RememberedStamp):
                if request.operation != "scan":
                    raise IdempotencyKeyReused() from error
                raise WriteConflict() from error  # a scan with the key stamped meanwhile: replay that one
            return replay(request, stored)
        return answer

    def stamp(self, attempt: StampAttempt) -> StampOutcome:
        """The scan: one UpdateItem, nothing read first. Its conditions are the stamp's rules; its update shifts
        the stamp marks, keeps the key (as the version it makes) and names the change for the ledger; it returns
        the new pass, or the pass as it stood when a condition refused it."""
        customer_id, offer_id = attempt.customer_id, attempt.offer_id
        today, yesterday, tomorrow = slot_names(attempt.at)
        names: dict[str, str] = {"#status": "status", "#tomorrow": tomorrow}
        values: dict[str, Any] = {
            ":one": 1,
            ":business": attempt.business_id,
            ":active": PassStatus.ACTIVE.value,
            ":at": attempt.at,
            ":mark": _mark(StampMark(attempt.at, attempt.note.branch_id)),
            ":none": _NONE,
            ":empty": {},
            ":chg": note_value(attempt.note),
            ":activity": keys.activity_index_keys(customer_id, offer_id, attempt.at)["GSI1SK"],
        }
        shift = ", ".join(
            f"{MARKS[n]} = if_not_exists({MARKS[n - 1]}, :none)" for n in range(len(MARKS) - 1, 0, -1)
        )
        update = (
            "SET currentStamps = currentStamps + :one, lifetimeStamps = lifetimeStamps + :one,"
            " version = version + :one, lastActivityAt = :at, updatedAt = :at, lastStampAt = :at,"
            f" {shift}, {MARKS[0]} = :mark, GSI1SK = :activity, chg = :chg, #tomorrow = :empty"
        )
        conditions = [
            "attribute_exists(PK)",
            "businessId = :business",
            "#status = :active",
            "currentStamps < stampsRequired",
        ]
        if attempt.offer_stamps_required is not None:
            # A cycle's first stamp takes the offer's requirement of the moment: when it differs from the pass's,
            # the write is refused here and the stamp goes the read-decide-commit way.
            conditions.append("(currentStamps > :zero OR stampsRequired = :required)")
            values.update({":zero": 0, ":required": attempt.offer_stamps_required})
        if attempt.last_stamp_not_after is not None:
            conditions.append("(attribute_not_exists(lastStampAt) OR lastStampAt <= :cooldown)")
            values[":cooldown"] = attempt.last_stamp_not_after
        if attempt.request is not None:
            names.update({"#today": today, "#yesterday": yesterday, "#key": key_entry_name(attempt.request)})
            update += ", #today.#key = version + :one"
            conditions.append("attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)")
        update += " REMOVE cycleStamps, GSI3PK, GSI3SK, customerId, offerId"
        try:
            answer = self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.pass_key(customer_id, offer_id)),
                UpdateExpression=update,
                ConditionExpression=" AND ".join(conditions),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=to_item(values),
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if _invalid_path(error):  # an item from before the key slots
                raise WriteConflict() from error
            if not condition_failed(error):
                raise
            old: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            if not old:
                return StampOutcome(stamped=False, card=None)
            plain = from_item(old)
            remembered = remembered_on_pass(plain, attempt.request, attempt.at) if attempt.request else None
            return StampOutcome(stamped=False, card=pass_from_plain(plain), remembered=remembered)
        return StampOutcome(stamped=True, card=pass_from_plain(from_item(answer["Attributes"])))

    def pass_at_version(self, customer_id: str, offer_id: str, version: int) -> Pass | None:
        card = self.get_pass(customer_id, offer_id)
        if card is None or card.version == version:
            return card
        found = self.client.get_item(
            TableName=self.table_name,
            Key=to_item({"PK": keys.pass_partition(customer_id, offer_id), "SK": event_sort(version)}),
            ConsistentRead=True,
        ).get("Item")
        if not found:
            return None
        event = from_item(found)
        return replace(
            card,
            current_stamps=int(event["currentStamps"]),
            stamps_required=int(event.get("stampsRequired", card.stamps_required)),
            rewards_claimed=int(event["rewardsClaimed"]),
            lifetime_stamps=int(event["lifetimeStamps"]),
            version=version,
        )

    def commit(self, change: PassChange) -> None:
        """Write the change atomically, or raise WriteConflict when anything it was based on has moved. A new
        pass is put whole; a change of one is an UpdateItem on the version read, so the idempotency keys the
        pass keeps are left as they are but for this request's."""
        if change.expected_version is None:
            self._create(change)
            return
        try:
            self._write(self._update(change, has_slots=True), change)
        except ClientError as error:
            if not _invalid_path(error):
                raise
            # An item from before the key slots: this write gives it them (once), on the same version.
            self._write(self._update(change, has_slots=False), change)

    def _update(self, change: PassChange, *, has_slots: bool) -> dict[str, Any]:
        """The UpdateItem of a change on the version read: every attribute of the pass set (or removed), its
        change named, tomorrow's key slot emptied and the request's key kept in today's."""
        card = change.card
        values = pass_attributes(card)
        present = {name: value for name, value in values.items() if value is not None}
        gone = [name for name in _OPTIONAL if values.get(name) is None]
        today, yesterday, tomorrow = slot_names(card.updated_at)
        names = {f"#a{n}": name for n, name in enumerate(present)}
        names.update({f"#r{n}": name for n, name in enumerate(gone)})
        names.update({"#tomorrow": tomorrow, "#chg": "chg", "#version": "version", "#today": today})
        expression_values: dict[str, Any] = {f":a{n}": value for n, value in enumerate(present.values())}
        expression_values.update(
            {":chg": note_value(change.note), ":empty": {}, ":expected": change.expected_version}
        )
        sets = [f"#a{n} = :a{n}" for n in range(len(present))] + ["#chg = :chg", "#tomorrow = :empty"]
        condition = "#version = :expected"
        if change.last_stamp_not_after is not None:
            condition += " AND (attribute_not_exists(lastStampAt) OR lastStampAt <= :lastStampNotAfter)"
            expression_values[":lastStampNotAfter"] = change.last_stamp_not_after
        kept: dict[str, str] = {}
        if change.request is not None:
            entry = (
                f"{change.request.fingerprint[:FINGERPRINT_KEPT]}|{_APART}|"
                if change.request.operation in KEPT_APART
                else _stored_entry(change.request, change.answer)
            )
            kept = {key_entry_name(change.request): entry}
        if has_slots:
            if kept:
                ((name, entry),) = kept.items()
                names.update({"#yesterday": yesterday, "#key": name})
                sets.append("#today.#key = :entry")
                expression_values[":entry"] = entry
                condition += (
                    " AND attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)"
                )
            else:
                del names["#today"]
        else:  # the slots made whole: today's with this request's key, yesterday's empty
            names["#yesterday"] = yesterday
            sets += ["#today = :slot", "#yesterday = :empty"]
            expression_values[":slot"] = kept
        removes = [f"#r{n}" for n in range(len(gone))]
        return {
            "TableName": self.table_name,
            "Key": to_item(keys.pass_key(card.customer_id, card.offer_id)),
            "UpdateExpression": "SET "
            + ", ".join(sets)
            + (" REMOVE " + ", ".join(removes) if removes else ""),
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_item(expression_values),
        }

    def _write(self, update: dict[str, Any], change: PassChange) -> None:
        also: list[dict[str, Any]] = []
        if change.request is not None and change.request.operation in KEPT_APART:
            at = change.card.updated_at
            # Kept as long as the pass's marker may be (three day slots), so a marker never outlives its answer.
            also.append(
                record_put(
                    self.table_name, change.request, change.answer, at, max(self.idempotency_ttl_hours, 72)
                )
            )
        if change.issuance is not None:
            started = change.issuance
            also.append(issuance_put(self.table_name, started.issuance, started.recipient_email))
        try:
            if not also:
                self.client.update_item(**update)
            else:
                self.client.transact_write_items(TransactItems=[{"Update": update}, *also])
        except ClientError as error:
            if condition_failed(error, or_conflict=True):
                raise WriteConflict() from error
            raise

    def _create(self, change: PassChange) -> None:
        put = {
            "TableName": self.table_name,
            "Item": pass_to_item(change.card, change.note),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
        items: list[dict[str, Any]] = [{"Put": put}]
        if change.request is not None:
            items.append(
                record_put(
                    self.table_name,
                    change.request,
                    change.answer,
                    change.card.updated_at,
                    self.idempotency_ttl_hours,
                )
            )
        if change.new_customer is not None:
            items.append(customer_put(self.table_name, change.new_customer))
        try:
            if len(items) == 1:
                self.client.put_item(**put)
            else:
                self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if condition_failed(error, or_conflict=True):
                raise WriteConflict() from error
            raise


def event_sort(version: int) -> str:
    """The sort key of the audit event of a pass's `version` (written by the ledger, one per version)."""
    return f"EVENT#v{version:010d}"


def _invalid_path(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ValidationException" and "document path" in str(
        error.response.get("Error", {}).get("Message", "")
    )
