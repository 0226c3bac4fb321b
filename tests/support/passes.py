"""A fresh pass for the domain's unit tests: one customer, one offer, enrolled at `AT`."""

from __future__ import annotations

from loyalty.domain.passes import Pass, new_pass

AT = "2026-11-23T10:00:00.000Z"


def fresh_pass(stamps_required: int = 5, at: str = AT) -> Pass:
    return new_pass(
        customer_id="cus_aaaaaaaaaaaaaaaaaaaaaaaaaa",
        offer_id="off_bbbbbbbbbbbbbbbbbbbbbbbbbb",
        business_id="biz_cccccccccc",
        stamps_required=stamps_required,
        email="jane@example.com",
        customer_name="Jane",
        preferred_language="en",
        pass_serial="serial",
        auth_token="t" * 32,
        at=at,
    )
