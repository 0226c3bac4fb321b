"""POST /api/passes/preferences (public): the customer's marketing consent, read or changed, from the link on
their pass's back (the pass's ids and its preferences token) or from a mailed recovery link's token. Throttled per
client address."""

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from pydantic import ConfigDict, Field, StrictBool, model_validator

from loyalty.app.customers import consent
from loyalty.bootstrap import pass_preferences, pass_store, recovery_links
from loyalty.domain.clock import utc_now
from loyalty.entrypoints.http.api import json_response, lambda_entry, new_api
from loyalty.entrypoints.http.public_door import check_preferences_rate, client_address
from loyalty.entrypoints.http.render import consent_answer
from loyalty.entrypoints.http.wire import ContractModel, failure, ok, responses

app = new_api()


_TEXT = {"type": "string"}
_PASS_LINK_GIVEN = {
    "required": ["customerId", "offerId", "token"],
    "properties": {"customerId": _TEXT, "offerId": _TEXT, "token": _TEXT},
}
_RECOVERY_GIVEN = {"required": ["recoveryToken"], "properties": {"recoveryToken": _TEXT}}
# Exactly one of the two links (a null is a field not given), as `_one_link` checks it.
_PASS_LINK: dict[str, Any] = {**_PASS_LINK_GIVEN, "not": _RECOVERY_GIVEN}
_RECOVERY_LINK: dict[str, Any] = {**_RECOVERY_GIVEN, "not": _PASS_LINK_GIVEN}


class PreferencesRequest(ContractModel):
    """Either the pass's link (customerId, offerId and token) or a recovery link's token, never both."""

    model_config = ConfigDict(json_schema_extra={"anyOf": [_PASS_LINK, _RECOVERY_LINK]})
    customer_id: str | None = Field(default=None, max_length=64, description="From the pass's back link")
    offer_id: str | None = Field(default=None, max_length=64, description="From the pass's back link")
    token: str | None = Field(default=None, max_length=128, description="The pass's back link's `token`")
    recovery_token: str | None = Field(
        default=None, max_length=1024, description="Or the `token` of a mailed recovery link"
    )
    marketing_consent: StrictBool | None = Field(
        default=None, description="The new answer; absent: the answer as it stands"
    )

    @model_validator(mode="after")
    def _one_link(self) -> "PreferencesRequest":
        from_pass = self.customer_id is not None and self.offer_id is not None and self.token is not None
        if from_pass == (self.recovery_token is not None):
            raise ValueError("give either customerId, offerId and token, or recoveryToken")
        return self


class Preferences(ContractModel):
    marketing_consent: bool
    marketing_consent_at: str | None = Field(description="When the customer last gave their answer")
    offer_name: str
    offer_name_ar: str | None
    preferred_language: str


@app.post(
    "/api/passes/preferences",
    summary="The customer's marketing consent, read or changed from their pass's link",
    operation_id="passPreferences",
    responses=responses(
        {200: ok(Preferences, "The consent as it stands (changed when the body gives one)")},
        400,
        (404, failure(404, "Unknown pass, wrong token, or an erased customer (LINK_NOT_FOUND)")),
        (409, failure(409, "Others kept changing the pass all along; try again (PASS_BUSY)")),
        (410, failure(410, "The recovery link is older than 24 hours (LINK_EXPIRED)")),
        413,
        422,
        429,
    ),
)
def preferences(request: Annotated[PreferencesRequest, Body()]) -> Response[Any]:
    check_preferences_rate(client_address(app), utc_now())
    link: consent.PassLink | consent.MailedLink
    if request.recovery_token is not None:
        link = consent.MailedLink(request.recovery_token)
    else:
        link = consent.PassLink(str(request.customer_id), str(request.offer_id), str(request.token))
    shown = consent.marketing_consent(
        pass_store(), pass_preferences(), recovery_links(), utc_now, link, request.marketing_consent
    )
    return json_response(200, consent_answer(shown))


handler = lambda_entry(app)
