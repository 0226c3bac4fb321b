"""A campaign's recipients won back, counted from the table's stream by the ledger consumer: a visit (a stamp or a
prize) that is the first within 14 days after the campaign reached the pass (domain/won_back.py) counts its
recipient once for that campaign."""

from __future__ import annotations

from collections.abc import Iterable

from aws_lambda_powertools import Logger

from loyalty.app.ports.campaigns import CampaignOutcomes
from loyalty.app.ports.ledger import PassWritten, TableChange
from loyalty.app.ports.wallets import PassAddress
from loyalty.app.stats.ledger import is_ledgered
from loyalty.domain.won_back import campaign_won_back

logger = Logger(child=True)


def count_campaign_wins(outcomes: CampaignOutcomes, records: Iterable[TableChange]) -> list[str]:
    """Count each visit of the batch that won a campaign's recipient back; the sequence numbers to hand back (from
    the first that failed on, in batch order). A record handed over again counts nothing twice: the campaign's
    count moves with a marker that is written once."""
    pending = list(records)
    for position, record in enumerate(pending):
        try:
            written = record.written()
            if not (isinstance(written, PassWritten) and is_ledgered(written) and written.change is not None):
                continue
            campaign_id = campaign_won_back(written.change.kind, written.old, written.new)
            if campaign_id is not None:
                pass_ = written.new
                outcomes.won_back(
                    PassAddress(pass_.customer_id, pass_.offer_id), campaign_id, pass_.updated_at
                )
        except Exception:
            logger.exception(
                "campaign won-back count failed; retrying from this record",
                extra={"sequenceNumber": record.sequence_number},
            )
            return [r.sequence_number for r in pending[position:]]
    return []
