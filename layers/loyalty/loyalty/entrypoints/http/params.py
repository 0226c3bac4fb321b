"""The parameters routes share (docs/API.md): the path ids and the Idempotency-Key header, each with its rule.

Path ids carry their shape (`loyalty.domain.ids`) and a length bound in the document, but a malformed id is still
answered as the unknown resource it is (404 with the route's code), not as a 422: to a client an id is opaque. The
refusal's class is loaded when an id is malformed, not at import: a route that names an offer id need not load
the offer's rules to declare it."""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler.openapi.params import Header
from pydantic import BeforeValidator
from pydantic.json_schema import SkipJsonSchema

from loyalty.domain.customers import END, bmp_class
from loyalty.domain.errors import FieldError, NotFound, ValidationFailed
from loyalty.entrypoints.http.wire import id_path, known_id


def _no_offer() -> NotFound:
    from loyalty.domain.offers import OfferNotFound

    return OfferNotFound()


def _no_pass() -> NotFound:
    from loyalty.domain.passes import PassNotFound

    return PassNotFound()


def _no_issuance() -> NotFound:
    from loyalty.domain.credentials import IssuanceNotFound

    return IssuanceNotFound()


OfferId = Annotated[str, id_path("off", "Offer"), BeforeValidator(known_id("off", _no_offer))]
PassCustomerId = Annotated[str, id_path("cus", "Customer"), BeforeValidator(known_id("cus", _no_pass))]
PassOfferId = Annotated[str, id_path("off", "Offer"), BeforeValidator(known_id("off", _no_pass))]
IssuanceId = Annotated[str, id_path("iss", "Issuance"), BeforeValidator(known_id("iss", _no_issuance))]

IDEMPOTENCY_KEY_MAX_LENGTH = 128


def _idempotency_key(value: Any) -> Any:
    """Trimmed, 1..128 printable characters; reported under the header's own name."""
    if value is None:
        return None
    key = str(value).strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not key.isprintable():
        raise ValidationFailed(
            [FieldError("Idempotency-Key", "must be 1 to 128 printable characters")],
            message="Idempotency-Key must be 1 to 128 printable characters.",
        )
    return key


# `_idempotency_key`'s rule as a pattern: printable characters (Python's `isprintable`), at least one not a space
# (the key is trimmed). A header value travels as Latin-1 (RFC 9110 §5.5), so the Latin-1 characters that are not
# printable are the ones to name: C0 and C1 controls, the no-break space and the soft hyphen.
_UNPRINTABLE = bmp_class(lambda ch: not ch.isprintable(), last=0xFF)
_SPACES = bmp_class(str.isspace, last=0xFF)
# Spaces around the key are trimmed first; then every character is printable and the first and last are not spaces.
_KEY_PATTERN = f"^[{_SPACES}]*[^{_UNPRINTABLE} ](?:[^{_UNPRINTABLE}]*[^{_UNPRINTABLE} ])?[{_SPACES}]*{END}"

IdempotencyKey = Annotated[
    str | SkipJsonSchema[None],
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=IDEMPOTENCY_KEY_MAX_LENGTH,
        json_schema_extra={"pattern": _KEY_PATTERN},
        description="Retry safely: the same key with the same request answers the first answer again and "
        "changes nothing more; with a different request it is 422 IDEMPOTENCY_KEY_REUSED. On the pass actions "
        "(scan, confirm-prize, void-stamp, reactivate) a key about another pass is a different request. A key "
        "that names its pass, `pass.<customerId>.<offerId>.<nonce>` (the nonce 16 to 40 of A-Z a-z 0-9 _ -), "
        "is judged by its form and kept in the action's own write, so a scan is one write; any other key is "
        "first claimed for its request, which costs the action one more write.",
    ),
    BeforeValidator(_idempotency_key),
]
