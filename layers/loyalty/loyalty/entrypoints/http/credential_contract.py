"""Customer credentials' declarations (docs/API.md): an issuance as it is answered, a customer's page of them, the
customer id of those routes. Apart from `contract` and `operations` so that the credential routes load only these."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler.openapi.params import Path
from pydantic import BeforeValidator, Field

from loyalty.domain.ids import ID_MAX_LENGTH, id_pattern, is_id
from loyalty.entrypoints.http.wire import ContractModel

IssuanceStatusName = Literal["PENDING", "WAIT_ONCHAIN", "ONCHAIN", "FAILED", "TIMED_OUT"]


class IssuanceStarted(ContractModel):
    issuance_id: str
    status: IssuanceStatusName


class CredentialTier(ContractModel):
    id: str
    name: str


class IssuanceRecord(ContractModel):
    issuance_id: str
    customer_id: str
    offer_id: str
    tier: CredentialTier
    status: IssuanceStatusName
    core_claim_hash: str | None
    attempts: int = Field(ge=0)
    created_at: str
    updated_at: str
    error: str | None


class IssuancePage(ContractModel):
    items: list[IssuanceRecord]
    next_cursor: str | None


def _customer_id(value: Any) -> Any:
    """An id that cannot be a customer's is the route's 404, as an unknown one is (see contract._known_id)."""
    if not isinstance(value, str) or not is_id(value, "cus"):
        from loyalty.app.customers.erasure import CustomerNotFound

        raise CustomerNotFound()
    return value


CustomerId = Annotated[
    str,
    Path(
        pattern=id_pattern("cus"),
        max_length=ID_MAX_LENGTH,
        description="Customer id (`cus_…`)",
        json_schema_extra={"pattern": id_pattern("cus")},
    ),
    BeforeValidator(_customer_id),
]
