"""The table stream's second consumer (wallet-sync is the first; a shard serves two without throttling):
- the outbox's relay: every issuance record inserted into the table starts its credential workflow;
- the ledger: every pass change's audit event and stats counters, exactly once
  (docs/decisions/0011-ledger-from-the-stream.md, 0021g);
- the member directory: each pass's entries for finding it fast (loyalty.app.offers.directory);
- the offers' `wallets` counts, from the writes of each pass's wallet delivery record (loyalty.app.wallets.delivery);
- each campaign's recipients won back by a visit (loyalty.app.campaigns.outcomes)."""

from __future__ import annotations

from typing import Any

from loyalty.adapters.dynamodb.stream import stream_records
from loyalty.app.campaigns.outcomes import count_campaign_wins
from loyalty.app.credentials.issuance import dispatch_new_issuances
from loyalty.app.offers.directory import update_directory
from loyalty.app.stats.ledger import TIMEZONE_MAX_AGE_SECONDS, OfferTimezones, record_pass_changes
from loyalty.app.wallets.delivery import count_wallet_changes
from loyalty.bootstrap import (
    campaign_outcomes,
    credential_workflows,
    ledger,
    member_directory,
    offer_store,
    wallet_counts,
)

# The container's offer time zones, kept across batches (a batch mixing many offers read each of them).
_timezones: OfferTimezones | None = None


def _kept_timezones() -> OfferTimezones:
    global _timezones
    if _timezones is None:
        _timezones = OfferTimezones(offer_store(), max_age=TIMEZONE_MAX_AGE_SECONDS)
    return _timezones


def ledger_batch(event: dict[str, Any]) -> dict[str, Any]:
    records = stream_records(event.get("Records", []))
    # Built on the first batch (a function without its state machine fails before it reads a record), not at
    # import: a Step Functions client costs a tenth of a second of cold start.
    failed = set(dispatch_new_issuances(credential_workflows(), records))
    # The batch's shard: Lambda names it to a mapping with a tumbling window (template.yaml); the counters keep a
    # watermark per shard (docs/decisions/0021g).
    shard = event.get("shardId")
    failed.update(
        record_pass_changes(
            ledger(),
            offer_store(),
            records,
            _kept_timezones(),
            shard=shard if isinstance(shard, str) else None,
        )
    )
    failed.update(update_directory(member_directory(), records))
    failed.update(count_wallet_changes(wallet_counts(), records))
    failed.update(count_campaign_wins(campaign_outcomes(), records))
    # In batch order: Lambda takes the batch back from the first record named.
    answer: dict[str, Any] = {
        "batchItemFailures": [
            {"itemIdentifier": record.sequence_number}
            for record in records
            if record.sequence_number in failed
        ]
    }
    if "state" in event or "shardId" in event:
        # A windowed mapping's answer must carry the window's state (none kept: the window only names the shard).
        answer["state"] = {}
    return answer
