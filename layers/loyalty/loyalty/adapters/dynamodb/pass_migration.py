"""Pass items from before the one-write layout, and the one step that brings them to it (docs/decisions/0019).

An item of the earlier layout lacks some of the idempotency key slots (`k0`, `k1`, `k2`), keeps its stamp marks as
a list (`cycleStamps`) and repeats its ids and the members listing's former keys (`customerId`, `offerId`,
`GSI3PK`, `GSI3SK`). The pass store meets none of these: the scan, a void, a prize and a kept refusal each write
the current layout only, so each has one way through. `migrate_pass_items` rewrites every such item once, in
the current layout, before the release that dropped the old way is deployed.

Each item is one UpdateItem conditional on the version it was read at, which leaves that version as it is: no
customer sees a change, and the ledger writes nothing for it (it ledgers only writes that move the version on).
An item written meanwhile is read again and converted on its new version. The step is resumable: it finds its
work by the old layout's marks alone, so a run stopped anywhere is finished by running it again, and a run over
a converted table converts nothing; a run limited to some items says where its scan stopped, to start after."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from botocore.exceptions import ClientError

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import condition_failed, from_item, to_item
from loyalty.adapters.dynamodb.pass_items import OPTIONAL_ATTRIBUTES, pass_attributes, pass_from_plain
from loyalty.adapters.dynamodb.pass_keys import COUNTS, SLOTS
from loyalty.domain.passes import Pass, StampMark

# Attributes only the earlier layout wrote.
LEGACY_ATTRIBUTES = ("customerId", "offerId", "cycleStamps", "GSI3PK", "GSI3SK")
# How a scan of the table finds an item still to convert.
LEGACY_FILTER = (
    "entity = :pass AND ("
    + " OR ".join(
        [f"attribute_not_exists({slot})" for slot in SLOTS]
        # The packed counts (decision 0021e): a pass without them takes its next keyed scan the two-request way.
        + [f"attribute_not_exists({COUNTS})"]
        + [f"attribute_exists({name})" for name in LEGACY_ATTRIBUTES]
    )
    + ")"
)
# A pass written meanwhile is read again this many times before the run leaves it to the next run.
MAX_REREADS = 5


@dataclass(frozen=True)
class MigrationRun:
    """What a run did: items converted, items left to a later run (written by others on every reread), and where
    the scan stopped when the run was limited (None: it went through the whole table)."""

    converted: int
    left: int
    start_after: dict[str, Any] | None


def legacy_pass(item: dict[str, Any]) -> Pass:
    """A (plain) pass item of either layout as the domain's pass: the marks of the earlier layout's list too."""
    pass_ = pass_from_plain(item)
    if "cycleStamps" in item and not pass_.cycle_stamps:
        marks = tuple(StampMark(str(m["at"]), m.get("branchId")) for m in item["cycleStamps"])
        pass_ = replace(pass_, cycle_stamps=marks)
    return pass_


def conversion(table_name: str, item: dict[str, Any]) -> dict[str, Any]:
    """The UpdateItem that rewrites one (plain) pass item in the current layout on the version it was read at:
    every attribute of the pass as the store writes it, the missing key slots added (the keys a slot already
    holds kept), the earlier layout's attributes removed."""
    pass_ = legacy_pass(item)
    values = pass_attributes(pass_)
    present = {name: value for name, value in values.items() if value is not None}
    gone = sorted(
        {name for name in OPTIONAL_ATTRIBUTES if values.get(name) is None and name in item}
        | {name for name in LEGACY_ATTRIBUTES if name in item}
    )
    names = {f"#a{n}": name for n, name in enumerate(present)}
    names.update({f"#s{n}": slot for n, slot in enumerate(SLOTS)})
    names.update({f"#r{n}": name for n, name in enumerate(gone)})
    names["#version"] = "version"
    expression_values: dict[str, Any] = {f":a{n}": value for n, value in enumerate(present.values())}
    expression_values.update({":empty": {}, ":read": int(item["version"])})
    sets = [f"#a{n} = :a{n}" for n in range(len(present))]
    sets += [f"#s{n} = if_not_exists(#s{n}, :empty)" for n in range(len(SLOTS))]
    removes = [f"#r{n}" for n in range(len(gone))]
    return {
        "TableName": table_name,
        "Key": to_item(keys.pass_key(pass_.customer_id, pass_.offer_id)),
        "UpdateExpression": "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else ""),
        "ConditionExpression": "#version = :read",
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_item(expression_values),
    }


def _convert(client: Any, table_name: str, key: dict[str, Any]) -> bool:
    """Convert one item (reading it again while others write it); False when it stayed busy."""
    for _ in range(MAX_REREADS):
        found = client.get_item(TableName=table_name, Key=key, ConsistentRead=True).get("Item")
        if found is None:
            return True  # gone meanwhile: nothing to convert
        try:
            client.update_item(**conversion(table_name, from_item(found)))
        except ClientError as error:
            if condition_failed(error):
                continue  # written meanwhile: read it again
            raise
        return True
    return False


def migrate_pass_items(
    client: Any,
    table_name: str,
    *,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
) -> MigrationRun:
    """Convert every pass item of the earlier layout (at most `limit` of them, from `start_after` on)."""
    converted = left = 0
    scan_args: dict[str, Any] = {
        "TableName": table_name,
        "FilterExpression": LEGACY_FILTER,
        "ProjectionExpression": "PK, SK",
        "ExpressionAttributeValues": {":pass": {"S": "PASS"}},
        "Limit": page_size,
    }
    cursor = start_after
    while True:
        page = client.scan(**scan_args, **({"ExclusiveStartKey": cursor} if cursor else {}))
        for item in page.get("Items", []):
            if limit is not None and converted + left >= limit:
                return MigrationRun(converted, left, cursor)
            if _convert(client, table_name, {"PK": item["PK"], "SK": item["SK"]}):
                converted += 1
            else:
                left += 1
            cursor = {"PK": item["PK"], "SK": item["SK"]}
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return MigrationRun(converted, left, None)
