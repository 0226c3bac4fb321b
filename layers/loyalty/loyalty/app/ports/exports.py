"""Where a members export is written: the file, chunk by chunk, as the rows come (an object store's multipart
upload deployed; a list in tests)."""

from __future__ import annotations

from typing import Protocol


class ExportSink(Protocol):
    def write(self, chunk: bytes) -> None: ...
