"""The scan's one UpdateItem: the stamp's rules as DynamoDB conditions, and its update."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import (
    to_item,
)
from loyalty.adapters.dynamodb.pass_items import MARKS, NO_MARK, mark_value, note_value
from loyalty.adapters.dynamodb.pass_keys import COUNTS, entry_names, slot_names
from loyalty.app.ports.passes import (
    StampAttempt,
)
from loyalty.domain.passes import PassStatus, StampMark, StampRule

# Each of the domain's stamp rules (domain/passes.StampRule) as a clause of the scan's ConditionExpression, and
# the values it compares with; a rule whose terms say nothing (no cooldown, an unknown offer) adds no clause. A
# rule added to the domain without its clause here fails at import, so the two cannot drift apart.
RULE_CLAUSES: dict[StampRule, str] = {
    StampRule.OF_THE_BUSINESS: "attribute_exists(PK) AND businessId = :business",
    StampRule.ACTIVE: "#status = :active",
    StampRule.NOT_FULL: "currentStamps < stampsRequired",
    StampRule.PAST_COOLDOWN: "(attribute_not_exists(lastStampAt) OR lastStampAt <= :cooldown)",
    # A cycle's first stamp takes the offer's requirement of the moment: when it differs from the pass's, the
    # write is refused here and the stamp goes the read-decide-commit way.
    StampRule.CYCLE_ON_OFFER_REQUIREMENT: "(currentStamps > :zero OR stampsRequired = :required)",
}
if set(RULE_CLAUSES) != set(StampRule):
    raise RuntimeError(f"stamp rules without a condition: {set(StampRule) - set(RULE_CLAUSES)}")


def _rule_values(rule: StampRule, attempt: StampAttempt) -> dict[str, Any] | None:
    """The values the rule's clause compares with, or None when the attempt's terms leave the rule out."""
    terms = attempt.terms
    match rule:
        case StampRule.OF_THE_BUSINESS:
            return {":business": terms.business_id}
        case StampRule.ACTIVE:
            return {":active": PassStatus.ACTIVE.value}
        case StampRule.NOT_FULL:
            return {}
        case StampRule.PAST_COOLDOWN:
            threshold = terms.last_stamp_not_after
            return None if threshold is None else {":cooldown": threshold}
        case StampRule.CYCLE_ON_OFFER_REQUIREMENT:
            required = terms.offer_stamps_required
            return None if required is None else {":zero": 0, ":required": required}


def stamp_request(table_name: str, attempt: StampAttempt) -> dict[str, Any]:
    """The scan's one UpdateItem: its conditions are the stamp's rules (the pass is of the business, active, not
    full, the cycle's requirement unchanged, past the cooldown, the key unused); its update shifts the stamp marks,
    keeps the key (as the version it makes) and names the change for the ledger."""
    customer_id, offer_id = attempt.customer_id, attempt.offer_id
    today, yesterday, tomorrow = slot_names(attempt.at)
    names: dict[str, str] = {"#status": "status", "#tomorrow": tomorrow, "#counts": COUNTS}
    values: dict[str, Any] = {
        ":one": 1,
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
        " version = version + :one, #counts = #counts + :one, lastActivityAt = :at, updatedAt = :at, lastStampAt = :at,"
        f" {shift}, {MARKS[0]} = :mark, GSI1SK = :activity, chg = :chg, #tomorrow = :empty"
    )
    # A pass written before the packed counts has no `n` to move: the write is refused, and the stamp goes the
    # read-decide-commit way, whose write gives the pass its `n` (once).
    conditions = ["attribute_exists(#counts)"]
    for rule in StampRule:
        compared = _rule_values(rule, attempt)
        if compared is not None:
            conditions.append(RULE_CLAUSES[rule])
            values.update(compared)
    if attempt.request is not None:
        key, legacy = entry_names(attempt.request)
        names.update({"#today": today, "#yesterday": yesterday, "#key": key, "#legacy": legacy})
        # The key keeps the counts its answer shows, packed (`n` as the stamp makes it), in the same write: a
        # retry is answered from them alone, however far others (and the ledger) have moved the pass since.
        update += ", #today.#key = #counts + :one"
        conditions.append(
            "attribute_not_exists(#today.#key) AND attribute_not_exists(#yesterday.#key)"
            " AND attribute_not_exists(#today.#legacy) AND attribute_not_exists(#yesterday.#legacy)"
        )
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
