"""The scan's one UpdateItem: the stamp's rules as DynamoDB conditions, and its update."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    to_item,
)
from loyalty.adapters.dynamodb.pass_items import MARKS, NO_MARK, mark_value, note_value
from loyalty.adapters.dynamodb.pass_keys import key_entry_name, slot_names
from loyalty.app.ports.passes import (
    StampAttempt,
)
from loyalty.domain.passes import PassStatus, StampMark


def stamp_request(table_name: str, attempt: StampAttempt) -> dict[str, Any]:
    """The scan's one UpdateItem: its conditions are the stamp's rules (the pass is of the business, active, not
    full, the cycle's requirement unchanged, past the cooldown, the key unused); its update shifts the stamp marks,
    keeps the key (as the version it makes) and names the change for the ledger."""
    customer_id, offer_id = attempt.customer_id, attempt.offer_id
    today, yesterday, tomorrow = slot_names(attempt.at)
    names: dict[str, str] = {"#status": "status", "#tomorrow": tomorrow}
    values: dict[str, Any] = {
        ":one": 1,
        ":business": attempt.business_id,
        ":active": PassStatus.ACTIVE.value,
        ":at": attempt.at,
        ":mark": mark_value(StampMark(attempt.at, attempt.note.branch_id)),
        ":none": NO_MARK,
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
    return {
        "TableName": table_name,
        "Key": to_item(keys.pass_key(customer_id, offer_id)),
        "UpdateExpression": update,
        "ConditionExpression": " AND ".join(conditions),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_item(values),
        "ReturnValues": "ALL_NEW",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
