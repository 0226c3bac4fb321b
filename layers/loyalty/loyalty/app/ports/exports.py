"""Where a members export is written: the file, chunk by chunk, as the rows come (an object store's multipart
upload deployed; a list in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from loyalty.domain.exports import Export, ExportStatus


class ExportSink(Protocol):
    def write(self, chunk: bytes) -> None: ...


class ExportFile(ExportSink, Protocol):
    """One file being written: `finish` makes it whole and readable, `abandon` drops what was written."""

    def finish(self) -> None: ...

    def abandon(self) -> None: ...


class ExportFiles(Protocol):
    """Where the files live (an S3 bucket deployed, moto's S3 locally): written as a stream, read through a link
    that stops working after `seconds`."""

    def open(self, key: str, *, download_name: str) -> ExportFile: ...

    def download_link(self, key: str, *, seconds: int) -> str: ...


@dataclass(frozen=True)
class ExportRecorded:
    """What `ExportJobs.start` found: the export under the id, and whether this call recorded it (False: a retried
    request found the one recorded before, whenever that was)."""

    export: Export
    new: bool


class ExportJobs(Protocol):
    """The exports' records: who asked, for which offer, how far the worker got."""

    def start(self, export: Export, *, keep_until: int) -> ExportRecorded:
        """Record a new export, or answer the one already recorded under the same id (a retried request)."""
        ...

    def get(self, export_id: str) -> Export | None: ...

    def progress(self, export_id: str, rows: int) -> None: ...

    def finish(self, export_id: str, *, status: ExportStatus, rows: int, file_key: str | None) -> None: ...


class ExportQueue(Protocol):
    """Hands an export to the worker that writes its file."""

    def send(self, export_id: str) -> None: ...
