"""The wallet refresh queue on SQS: messages sent ten a request, and none silently dropped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from loyalty.app.wallets.refresh import RefreshMessage

SQS_BATCH_LIMIT = 10
ATTEMPTS = 3


class RefreshNotQueued(Exception):
    """SQS kept refusing some messages; the caller fails, so its own input comes back and is sent again."""


class SqsRefreshQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, messages: Sequence[RefreshMessage]) -> None:
        bodies = [json.dumps(message.as_dict(), separators=(",", ":")) for message in messages]
        for start in range(0, len(bodies), SQS_BATCH_LIMIT):
            self._send_batch(bodies[start : start + SQS_BATCH_LIMIT])

    def _send_batch(self, bodies: list[str]) -> None:
        pending = {str(index): body for index, body in enumerate(bodies)}
        for _ in range(ATTEMPTS):
            answer = self._client.send_message_batch(
                QueueUrl=self._url,
                Entries=[{"Id": entry_id, "MessageBody": body} for entry_id, body in pending.items()],
            )
            failed = answer.get("Failed") or []
            pending = {f["Id"]: pending[f["Id"]] for f in failed if f.get("Id") in pending}
            if not pending:
                return
            if any(f.get("SenderFault") for f in failed):
                break  # our request is wrong; asking again would not help
        raise RefreshNotQueued(f"{len(pending)} wallet refresh messages were not queued")
