"""Fakes of the members export's ports: the records, the files and the queue, kept in memory with the
conditions the DynamoDB store and S3 apply."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from loyalty.app.ports.exports import ExportRecorded
from loyalty.domain.exports import Export, ExportStatus


@dataclass
class InMemoryExportJobs:
    """An `ExportJobs`: a record written once; progress and the end only while RUNNING; rows never go back."""

    exports: dict[str, Export] = field(default_factory=dict)
    progress_seen: list[int] = field(default_factory=list)

    def start(self, export: Export, *, keep_until: int) -> ExportRecorded:
        new = export.export_id not in self.exports
        return ExportRecorded(self.exports.setdefault(export.export_id, export), new=new)

    def get(self, export_id: str) -> Export | None:
        return self.exports.get(export_id)

    def progress(self, export_id: str, rows: int) -> None:
        export = self.exports[export_id]
        if export.status is ExportStatus.RUNNING and export.rows < rows:
            self.exports[export_id] = replace(export, rows=rows)
            self.progress_seen.append(rows)

    def finish(self, export_id: str, *, status: ExportStatus, rows: int, file_key: str | None) -> None:
        export = self.exports[export_id]
        if export.status is ExportStatus.RUNNING:
            self.exports[export_id] = replace(export, status=status, rows=rows, file_key=file_key)


@dataclass
class InMemoryFile:
    name: str
    chunks: list[bytes] = field(default_factory=list)
    finished: bool = False
    abandoned: bool = False
    fail_after: int | None = None

    def write(self, chunk: bytes) -> None:
        if self.fail_after is not None and len(self.chunks) >= self.fail_after:
            raise OSError("the object store went away")
        self.chunks.append(chunk)

    def finish(self) -> None:
        self.finished = True

    def abandon(self) -> None:
        self.abandoned = True
        self.chunks.clear()


@dataclass
class InMemoryExportFiles:
    """An `ExportFiles`; `fail_after` makes the next file break after that many chunks."""

    files: dict[str, InMemoryFile] = field(default_factory=dict)
    fail_after: int | None = None

    def open(self, key: str, *, download_name: str) -> InMemoryFile:
        self.files[key] = InMemoryFile(download_name, fail_after=self.fail_after)
        return self.files[key]

    def download_link(self, key: str, *, seconds: int) -> str:
        assert self.files[key].finished, "a link to a file that is not whole"
        return f"https://files.example/{key}?expires-in={seconds}"

    def content(self, key: str) -> bytes:
        return b"".join(self.files[key].chunks)


@dataclass
class RecordingExportQueue:
    sent: list[str] = field(default_factory=list)
    broken: bool = False

    def send(self, export_id: str) -> None:
        if self.broken:
            raise ConnectionError("the queue refused the message")
        self.sent.append(export_id)
