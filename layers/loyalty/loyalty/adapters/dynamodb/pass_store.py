"""Passes in DynamoDB (docs/decisions/0012-the-scan-at-its-floor.md): the pass store.

A scan is one UpdateItem whose conditions are the stamp's rules (`stamp_conditions.py`). Every other change reads
the pass (one consistent read) and writes it back as one UpdateItem conditional on the version read (with the
issuance record in a transaction when a prize starts one). Either way the write keeps its Idempotency-Key inside
the pass (`pass_keys.py`) and names the change (`chg`); the audit event and the stats counters follow from the
table's stream (the ledger)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.customer_item import customer_put
from loyalty.adapters.dynamodb.dynamo import (
    batch_get,
    condition_failed,
    from_item,
    to_item,
)
from loyalty.adapters.dynamodb.idempotency import is_live, record_key, record_put, remembered_from_item
from loyalty.adapters.dynamodb.issuances import issuance_put
from loyalty.adapters.dynamodb.key_claims import claim_key
from loyalty.adapters.dynamodb.offers import offer_from_item
from loyalty.adapters.dynamodb.pass_events import event_at_version, event_page, history_event
from loyalty.adapters.dynamodb.pass_items import (
    OPTIONAL_ATTRIBUTES,
    note_value,
    pass_attributes,
    pass_from_plain,
    pass_to_item,
)
from loyalty.adapters.dynamodb.pass_keys import (
    APART,
    DRAWN_AGAIN,
    KEPT_APART,
    entry_names,
    packed_counts,
    remembered_on_pass,
    slot_names,
    stored_entry,
    version_entry,
)
from loyalty.adapters.dynamodb.stamp_conditions import stamp_request
from loyalty.app.idempotency import (
    FINGERPRINT_KEPT,
    IdempotencyKeyReused,
    IdempotentRequest,
    Remembered,
    RememberedAnswer,
    RememberedChange,
    RememberedStamp,
    StoredAnswer,
    replay,
)
from loyalty.app.ports.passes import (
    PassChange,
    Snapshot,
    StampAttempt,
    StampOutcome,
    WriteConflict,
)
from loyalty.domain.pass_results import HistoryEvent
from loyalty.domain.passes import Pass


class DynamoPassStore:
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
        remembered: Remembered | None = None
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
            pass_=pass_from_plain(pass_item) if pass_item else None,
            offer=offer_from_item(offer_item) if offer_item else None,
            customer_id=str(customer_item["customerId"]) if customer_item else None,
            remembered=remembered,
        )

    def _batch_get(self, wanted: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        return {(item["PK"], item["SK"]): item for item in batch_get(self.client, self.table_name, wanted)}

    def get_pass(self, customer_id: str, offer_id: str) -> Pass | None:
        return self.snapshot(pass_key=(customer_id, offer_id)).pass_

    def events(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        return event_page(
            self.client, self.table_name, customer_id, offer_id, limit=limit, after_sort=after_sort
        )

    def history(
        self, customer_id: str, offer_id: str, *, limit: int, after_sort: str | None = None
    ) -> tuple[list[HistoryEvent], str | None]:
        items, last = self.events(customer_id, offer_id, limit=limit, after_sort=after_sort)
        return [history_event(item) for item in items], last

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
        key, legacy = entry_names(request)
        names = {
            "#today": today,
            "#yesterday": yesterday,
            "#tomorrow": tomorrow,
            "#key": key,
            "#legacy": legacy,
        }
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=to_item(keys.pass_key(*address)),
                UpdateExpression="SET #today.#key = :entry, #tomorrow = :empty",
                # A pass request's scope is its business: no answer is ever kept in another business's pass.
                ConditionExpression="attribute_exists(PK) AND businessId = :business"
                " AND attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)"
                " AND attribute_not_exists(#today.#legacy) AND attribute_not_exists(#yesterday.#legacy)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={
                    ":entry": {"S": stored_entry(request, answer)},
                    ":empty": {"M": {}},
                    ":business": {"S": request.scope},
                },
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
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
            if isinstance(stored, RememberedChange):
                raise WriteConflict() from error  # a void with the key meanwhile: read again to replay it
            return replay(request, stored)
        return answer

    def stamp(self, attempt: StampAttempt) -> StampOutcome:
        """The scan: one UpdateItem, nothing read first. Its conditions are the stamp's rules; its update shifts
        the stamp marks, keeps the key (as the version it makes) and names the change for the ledger; it returns
        the new pass, or the pass as it stood when a condition refused it."""
        try:
            answer = self.client.update_item(**stamp_request(self.table_name, attempt))
        except ClientError as error:
            if not condition_failed(error):
                raise
            old: dict[str, Any] | None = error.response.get("Item")  # type: ignore[assignment]
            if not old:
                return StampOutcome(stamped=False, pass_=None)
            plain = from_item(old)
            remembered = remembered_on_pass(plain, attempt.request, attempt.at) if attempt.request else None
            return StampOutcome(stamped=False, pass_=pass_from_plain(plain), remembered=remembered)
        return StampOutcome(stamped=True, pass_=pass_from_plain(from_item(answer["Attributes"])))

    def claim_key(self, address: tuple[str, str], request: IdempotentRequest, at: str) -> None:
        """A free-form key claimed for this request on this pass: one conditional PutItem (key_claims.py)."""
        claim_key(self.client, self.table_name, address, request, at, self.idempotency_ttl_hours)

    def pass_at_version(self, customer_id: str, offer_id: str, version: int) -> Pass | None:
        pass_ = self.get_pass(customer_id, offer_id)
        if pass_ is None or pass_.version == version:
            return pass_
        event = event_at_version(self.client, self.table_name, customer_id, offer_id, version)
        if event is None:
            return None
        return replace(
            pass_,
            current_stamps=int(event["currentStamps"]),
            stamps_required=int(event.get("stampsRequired", pass_.stamps_required)),
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
        self._write(self._update(change), change)

    def _update(self, change: PassChange) -> dict[str, Any]:
        """The UpdateItem of a change on the version read: every attribute of the pass set (or removed), its
        change named, tomorrow's key slot emptied and the request's key kept in today's."""
        pass_ = change.pass_
        values = pass_attributes(pass_)
        present = {name: value for name, value in values.items() if value is not None}
        gone = [name for name in OPTIONAL_ATTRIBUTES if values.get(name) is None]
        today, yesterday, tomorrow = slot_names(pass_.updated_at)
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
        kept: dict[tuple[str, str], str | int] = {}
        if change.request is not None:
            if change.request.operation in KEPT_APART:
                entry: str | int = f"{change.request.fingerprint[:FINGERPRINT_KEPT]}|{APART}|"
            elif change.request.operation == "scan" and change.answer.status == 200:
                # kept as the one-write scan keeps it: the counts it made, packed
                entry = packed_counts(pass_.current_stamps, pass_.stamps_required, pass_.rewards_claimed)
            elif change.request.operation in DRAWN_AGAIN and change.answer.status == 200:
                entry = version_entry(change.request, change.pass_.version)
            else:
                entry = stored_entry(change.request, change.answer)
            kept = {entry_names(change.request): entry}
        if kept:
            (((name, legacy), entry),) = kept.items()
            names.update({"#yesterday": yesterday, "#key": name, "#legacy": legacy})
            sets.append("#today.#key = :entry")
            expression_values[":entry"] = entry
            condition += (
                " AND attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)"
                " AND attribute_not_exists(#today.#legacy) AND attribute_not_exists(#yesterday.#legacy)"
            )
        else:
            del names["#today"]
        removes = [f"#r{n}" for n in range(len(gone))]
        return {
            "TableName": self.table_name,
            "Key": to_item(keys.pass_key(pass_.customer_id, pass_.offer_id)),
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
            at = change.pass_.updated_at
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
            "Item": pass_to_item(change.pass_, change.note),
            "ConditionExpression": "attribute_not_exists(PK)",
        }
        items: list[dict[str, Any]] = [{"Put": put}]
        if change.request is not None:
            items.append(
                record_put(
                    self.table_name,
                    change.request,
                    change.answer,
                    change.pass_.updated_at,
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
