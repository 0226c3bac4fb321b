"""A global secondary index whose definition in template.yaml changed (a projection) remade on a kept table:
DynamoDB cannot change an index's projection in place, so it is deleted and created again, one step at a time
(docs/decisions/0021d). DynamoDB fills the new index from the table by itself."""

from __future__ import annotations

import time
from typing import Any

from loyalty_local.cloud.template import table_definitions


def _projection(index: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    projection = index.get("Projection", {})
    return str(projection.get("ProjectionType", "ALL")), tuple(sorted(projection.get("NonKeyAttributes", [])))


def changed_indexes(client: Any, table_name: str, logical_id: str = "LoyaltyTable") -> list[str]:
    """The indexes the table has whose keys or projection are not the template's."""
    wanted = {
        index["IndexName"]: index
        for index in table_definitions()[logical_id].get("GlobalSecondaryIndexes", [])
    }
    found = client.describe_table(TableName=table_name)["Table"].get("GlobalSecondaryIndexes", [])
    return [
        index["IndexName"]
        for index in found
        if index["IndexName"] in wanted
        and (
            _projection(index) != _projection(wanted[index["IndexName"]])
            or index["KeySchema"] != wanted[index["IndexName"]]["KeySchema"]
        )
    ]


def _wait(client: Any, table_name: str, settled: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        table = client.describe_table(TableName=table_name)["Table"]
        if table.get("TableStatus") == "ACTIVE" and settled(table.get("GlobalSecondaryIndexes", [])):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{table_name}: the index change did not settle within {timeout:.0f} s")


def remake_changed_indexes(
    client: Any, table_name: str, logical_id: str = "LoyaltyTable", timeout: float = 1800.0
) -> list[str]:
    """Delete and create again, as the template defines it, each index whose definition changed; their names."""
    definition = table_definitions()[logical_id]
    wanted = {index["IndexName"]: index for index in definition.get("GlobalSecondaryIndexes", [])}
    types = {a["AttributeName"]: a for a in definition["AttributeDefinitions"]}
    remade = []
    for name in changed_indexes(client, table_name, logical_id):
        client.update_table(
            TableName=table_name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": name}}]
        )
        _wait(client, table_name, lambda indexes, n=name: all(i["IndexName"] != n for i in indexes), timeout)
        index = wanted[name]
        client.update_table(
            TableName=table_name,
            AttributeDefinitions=[types[k["AttributeName"]] for k in index["KeySchema"]],
            GlobalSecondaryIndexUpdates=[
                {"Create": {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}}
            ],
        )
        _wait(
            client,
            table_name,
            lambda indexes, n=name: any(
                i["IndexName"] == n and i.get("IndexStatus") == "ACTIVE" for i in indexes
            ),
            timeout,
        )
        remade.append(name)
    return remade
