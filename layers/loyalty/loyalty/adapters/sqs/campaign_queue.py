"""The campaign queue on SQS: messages sent ten a request (with the delay SQS allows, 0..900 s), none dropped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from loyalty.app.campaigns.fanout import MAX_DELAY_SECONDS, CampaignMessage

SQS_BATCH_LIMIT = 10
ATTEMPTS = 3


class CampaignNotQueued(Exception):
    """SQS kept refusing some messages; the caller fails, so its own input comes back and is sent again."""


class SqsCampaignQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, messages: Sequence[CampaignMessage], delay_seconds: int = 0) -> None:
        delay = max(0, min(MAX_DELAY_SECONDS, delay_seconds))
        bodies = [json.dumps(message.as_dict(), separators=(",", ":")) for message in messages]
        for start in range(0, len(bodies), SQS_BATCH_LIMIT):
            pending = {str(n): body for n, body in enumerate(bodies[start : start + SQS_BATCH_LIMIT])}
            for _ in range(ATTEMPTS):
                answer = self._client.send_message_batch(
                    QueueUrl=self._url,
                    Entries=[
                        {"Id": entry_id, "MessageBody": body, "DelaySeconds": delay}
                        for entry_id, body in pending.items()
                    ],
                )
                failed = answer.get("Failed") or []
                pending = {f["Id"]: pending[f["Id"]] for f in failed if f.get("Id") in pending}
                if not pending or any(f.get("SenderFault") for f in failed):
                    break
            if pending:
                raise CampaignNotQueued(f"{len(pending)} campaign messages were not queued")
