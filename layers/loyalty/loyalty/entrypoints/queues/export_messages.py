"""The members export queue's messages, as the worker reads them (loyalty.adapters.sqs.export_queue sends them)."""

from __future__ import annotations

import json
from typing import Any


def export_ids(event: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(message id, export id, receive count) of each message of an SQS event; a body this queue never carries
    is skipped (delivering it again would not help)."""
    found: list[tuple[str, str, int]] = []
    for record in event.get("Records") or []:
        try:
            export_id = json.loads(record["body"])["exportId"]
        except (ValueError, KeyError, TypeError):
            continue
        count = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1"))
        found.append((record["messageId"], str(export_id), count))
    return found
