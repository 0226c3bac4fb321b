"""POST /api/offers/{offerId}/customers/export and GET /api/exports/{exportId} (owner): a members CSV, written off
the request path by member-export-worker; its progress, then a download link that expires."""

from typing import Any

from aws_lambda_powertools.event_handler import Response

from loyalty.app.offers.commands import ReadExport, StartExport
from loyalty.app.offers.export import export_status, start_export
from loyalty.bootstrap import export_files, export_jobs, export_queue, offer_store
from loyalty.domain.clock import to_iso, utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.auth import Role, current_principal
from loyalty.entrypoints.http.export_contract import ExportId, ExportStarted, ExportState
from loyalty.entrypoints.http.params import IdempotencyKey, OfferId
from loyalty.entrypoints.http.render import export_started_answer, export_state_answer
from loyalty.entrypoints.http.wire import failure, ok, responses

app = new_api()
TAGS = ["Members"]


@app.post(
    "/api/offers/<offerId>/customers/export",
    summary="Start a CSV export of the offer's members (owner)",
    operation_id="startMembersExport",
    tags=TAGS,
    responses=responses(
        {
            202: ok(
                ExportStarted, "The export started (or, for a retried Idempotency-Key, the one it started)"
            )
        },
        400,
        401,
        403,
        (404, failure(404, "No such offer, or another business's (OFFER_NOT_FOUND)")),
        413,
        (422, failure(422, "The Idempotency-Key is not valid, or was used for another offer")),
    ),
)
def start(offerId: OfferId, idempotency_key: IdempotencyKey = None) -> Response[Any]:
    owner = current_principal(app).require(Role.OWNER)
    started = start_export(
        offer_store(),
        export_jobs(),
        export_queue(),
        StartExport(owner.business_id, offerId, idempotency_key),
        at=to_iso(utc_now()),
    )
    return json_response(202, export_started_answer(started))


@app.get(
    "/api/exports/<exportId>",
    summary="A members export's progress and, once done, its download link (owner)",
    operation_id="getMembersExport",
    tags=TAGS,
    responses=responses(
        {200: ok(ExportState, "The export")},
        401,
        403,
        (404, failure(404, "No such export, or another business's (EXPORT_NOT_FOUND)")),
    ),
)
def progress(exportId: ExportId) -> dict[str, Any]:
    owner = current_principal(app).require(Role.OWNER)
    state = export_status(
        export_jobs(), export_files(), ReadExport(owner.business_id, exportId), now=utc_now()
    )
    return export_state_answer(state)


handler = lambda_entry(app)
