"""The members export queue's messages, as the worker reads them (loyalty.adapters.sqs.export_queue sends them)."""

from __future__ import annotations

import json


class MalformedExportMessage(ValueError):
    """A body the members export queue never carries."""


def export_id_of(body: str) -> str:
    """The export a message names."""
    try:
        return str(json.loads(body)["exportId"])
    except (ValueError, KeyError, TypeError):
        raise MalformedExportMessage("no export id") from None
