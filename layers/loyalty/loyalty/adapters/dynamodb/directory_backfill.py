"""Member directory entries for passes written before the directory existed (the ledger's stream consumer writes
them for every pass write since; a pass untouched since then has none, so a search cannot find it).

The step scans the table's pass items a page at a time and writes each pass's entries as the stream consumer
would for a new pass (the same `directory_update`). Writing an entry is a put of what the pass says now, so a
run over passes that already have their entries changes nothing, and a run stopped anywhere is finished by
running it again. A pass written between the page's read and its entries' write would get entries of its older
state after the consumer's: the page is read again after the write, and every pass whose version moved on gets
the move from what was written to what it is now (stale entries removed, new ones put)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from loyalty.adapters.dynamodb import keys
from loyalty.adapters.dynamodb.dynamo import batch_get, from_item
from loyalty.adapters.dynamodb.member_directory import MemberDirectoryStore
from loyalty.adapters.dynamodb.pass_items import pass_from_plain
from loyalty.app.offers.directory import directory_update
from loyalty.app.ports.directory import DirectoryUpdate
from loyalty.app.ports.ledger import PassWritten
from loyalty.domain.passes import Pass


@dataclass(frozen=True)
class DirectoryBackfillRun:
    passes: int  # passes whose entries were written in this run
    start_after: dict[str, Any] | None  # where a run stopped by its limit ends: the next run's start


def backfill_directory(
    client: Any,
    table_name: str,
    *,
    limit: int | None = None,
    start_after: dict[str, Any] | None = None,
    page_size: int = 100,
) -> DirectoryBackfillRun:
    """Write the directory entries of every pass (at most `limit` of them, from `start_after` on)."""
    directory = MemberDirectoryStore(client, table_name)
    done = 0
    cursor = start_after
    while True:
        size = page_size if limit is None else min(page_size, limit - done)
        page = client.scan(
            TableName=table_name,
            FilterExpression="entity = :pass",
            ExpressionAttributeValues={":pass": {"S": "PASS"}},
            Limit=size,
            **({"ExclusiveStartKey": cursor} if cursor else {}),
        )
        pass_batch = [pass_from_plain(from_item(item)) for item in page.get("Items", [])]
        _write(directory, [directory_update(PassWritten(None, pass_)) for pass_ in pass_batch])
        _catch_up(client, table_name, directory, pass_batch)
        done += len(pass_batch)
        cursor = page.get("LastEvaluatedKey")
        if cursor is None:
            return DirectoryBackfillRun(done, None)
        if limit is not None and done >= limit:
            return DirectoryBackfillRun(done, {"PK": cursor["PK"], "SK": cursor["SK"]})


def _write(directory: MemberDirectoryStore, updates: list[DirectoryUpdate | None]) -> None:
    directory.apply([update for update in updates if update is not None])


def _catch_up(client: Any, table_name: str, directory: MemberDirectoryStore, written: list[Pass]) -> None:
    """Passes written meanwhile: their entries moved from the state the page read to the state they have now."""
    if not written:
        return
    wanted = [keys.pass_key(pass_.customer_id, pass_.offer_id) for pass_ in written]
    now = {
        (pass_.customer_id, pass_.offer_id): pass_
        for pass_ in (pass_from_plain(item) for item in batch_get(client, table_name, wanted))
    }
    moved = []
    for pass_ in written:
        current = now.get((pass_.customer_id, pass_.offer_id))
        if current is not None and current.version != pass_.version:
            moved.append(directory_update(PassWritten(pass_, current)))
    _write(directory, moved)
