"""The contract's members exports (docs/API.md "Exports"): the answers and the export id in a path."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BeforeValidator, Field

from loyalty.domain.exports import DOWNLOAD_LINK_SECONDS, ExportNotFound, is_export_id
from loyalty.domain.ids import ID_MAX_LENGTH, id_pattern
from loyalty.entrypoints.http.wire import ContractModel


def _known_export(value: Any) -> Any:
    """An id that cannot be an export's is the route's 404, not a 422."""
    if not isinstance(value, str) or not is_export_id(value):
        raise ExportNotFound()
    return value


ExportId = Annotated[
    str,
    Path(
        pattern=id_pattern("exp"),
        max_length=ID_MAX_LENGTH,
        description="Export id (`exp_…`)",
        json_schema_extra={"pattern": id_pattern("exp")},
    ),
    BeforeValidator(_known_export),
]


class ExportStarted(ContractModel):
    export_id: str
    status: Literal["RUNNING", "DONE", "FAILED"] = Field(
        description="RUNNING when just started; a retried Idempotency-Key answers the export's status now"
    )


class ExportState(ContractModel):
    export_id: str
    status: Literal["RUNNING", "DONE", "FAILED"]
    rows: int = Field(ge=0, description="Members written so far (grows while RUNNING)")
    download_url: str | None = Field(
        description=f"Once DONE: the CSV file, a link that works for {DOWNLOAD_LINK_SECONDS // 60} minutes "
        "(ask again for a fresh one)"
    )
    expires_at: str | None = Field(description="When `downloadUrl` stops working")
