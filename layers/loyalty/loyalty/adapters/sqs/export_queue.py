"""The members export queue on SQS: one message per export, naming it."""

from __future__ import annotations

import json
from typing import Any


class SqsExportQueue:
    """An `ExportQueue`."""

    def __init__(self, client: Any, queue_url: str) -> None:
        self._client = client
        self._url = queue_url

    def send(self, export_id: str) -> None:
        self._client.send_message(QueueUrl=self._url, MessageBody=json.dumps({"exportId": export_id}))
