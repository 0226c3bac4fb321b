"""A fresh pass for tests: one customer, one offer, enrolled at `AT` (give ids to keep passes of one store apart)."""

from __future__ import annotations

from loyalty.domain.passes import Pass, new_pass

AT = "2026-11-23T10:00:00.000Z"


def fresh_pass(
    stamps_required: int = 5,
    at: str = AT,
    *,
    customer_id: str = "cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
    offer_id: str = "off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
    business_id: str = "biz_cccccccccc",
) -> Pass:
    return new_pass(
        customer_id=customer_id,
        offer_id=offer_id,
        business_id=business_id,
        stamps_required=stamps_required,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at=at,
    )
